package dev.tally.http;

import dev.tally.unixfs.FilePieces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.VertxConnection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link FilePieces} for a worker thread that streams a file into an HTTP/1.1 response: ranges of
 * stored files go to the socket as Netty {@code FileRegion}s ({@code sendfile}, no copy through
 * user space), arrays as ordinary body chunks (ADR 044). Both take the connection's one ordered
 * outbound queue, the one Vert.x writes the head, its chunks and the response's end through, so
 * Vert.x's view of the response (head written, end, keep-alive for the next request) stays whole;
 * its own {@code sendFile} writes regions the same way, but for one file per response.
 *
 * <p>At most {@code window} bytes are queued and not yet taken by the socket: a writer blocks until
 * earlier pieces complete, so a slow client holds back the file walk (and with it the descriptors
 * and pieces) instead of queueing the whole file. Every piece's completion, success or failure (the
 * connection closed), is counted: {@link #whenIdle} runs its action once nothing is in flight,
 * which is when the files the ranges came from may be closed.
 */
public final class FileRegionSink implements FilePieces {
  /** Bytes queued for the socket at most; a 256 KiB leaf is one piece. */
  public static final int WINDOW = 4 << 20;

  private final HttpServerResponse response;
  private final VertxConnection connection;
  private final SendQueue<Object> queue;
  private long fromFiles;

  private FileRegionSink(
      Context context, HttpServerResponse response, VertxConnection connection, int window) {
    this.response = response;
    this.connection = connection;
    this.queue =
        new SendQueue<>(
            context, window, FileRegionSink::size, this::write, FileRegionSink::release);
  }

  /**
   * A sink for {@code request}'s response, if its connection can take file regions: HTTP/1.x on a
   * Vert.x connection without TLS, traffic shaping or compression in the way (each needs the bytes
   * in user space) and a transport that supports regions. The response's headers must be complete
   * when the first piece arrives; ending it stays with the caller.
   */
  public static Optional<FileRegionSink> of(
      HttpServerRequest request, Context context, int window) {
    if (window <= 0) {
      throw new IllegalArgumentException("window must be > 0, got " + window);
    }
    if (request.version() == HttpVersion.HTTP_2
        || request.isSSL()
        || !(request.connection() instanceof VertxConnection conn)
        || conn.isSsl()
        || conn.isTrafficShaped()
        || !conn.context().owner().transport().supportFileRegion()
        || conn.channel().pipeline().get(io.netty.handler.codec.http.HttpContentCompressor.class)
            != null) {
      return Optional.empty();
    }
    return Optional.of(new FileRegionSink(context, request.response(), conn, window));
  }

  /** Body bytes that went out as file regions (as opposed to arrays). */
  public long bytesFromFiles() {
    return fromFiles;
  }

  @Override
  public void bytes(byte[] bytes, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (length > 0) {
      queue.enqueue(Unpooled.wrappedBuffer(bytes, offset, length));
    }
  }

  @Override
  public void file(FileChannel file, long position, int length) throws IOException {
    if (length > 0) {
      fromFiles += length;
      queue.enqueue(new Range(file, position, length));
    }
  }

  /** A range of a file the sink must not close: its {@code BlockFiles} owns it. */
  private record Range(FileChannel file, long position, int length) {}

  /** A region over a shared descriptor: released by Netty, closed by its owner. */
  private static final class SharedRegion extends DefaultFileRegion {
    SharedRegion(Range r) {
      super(r.file(), r.position(), r.length());
    }

    @Override
    protected void deallocate() {
      // The descriptor belongs to the response's BlockFiles, closed once every piece completed.
    }
  }

  private static int size(Object piece) {
    return piece instanceof Range r ? r.length() : ((ByteBuf) piece).readableBytes();
  }

  private static void release(Object piece) {
    if (piece instanceof ByteBuf b) {
      b.release();
    }
  }

  /** Event loop: the head first (its headers are complete), then the piece. */
  private Future<Void> write(Object piece) {
    if (!response.headWritten()) {
      response.writeHead();
    }
    if (piece instanceof Range r) {
      Promise<Void> written = Promise.promise();
      connection.writeToChannel(new SharedRegion(r), connection.newChannelPromise(written));
      return written.future();
    }
    return response.write(BufferInternal.buffer((ByteBuf) piece));
  }

  /**
   * Waits until the socket took every piece, so that whoever ends the response next cannot overtake
   * the last one. Does not end the response.
   */
  public void close() throws IOException {
    queue.awaitSent();
  }

  /**
   * Runs {@code action} once no piece is queued or in flight any more (now, if none is): every
   * piece completes, written or failed with the connection, so this is when the files its ranges
   * came from may be closed. Call it once, after the last piece was handed over.
   */
  public void whenIdle(Runnable action) {
    queue.whenIdle(action);
  }
}
