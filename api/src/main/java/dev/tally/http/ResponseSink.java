package dev.tally.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * An {@link OutputStream} for a worker thread that writes into a response on its event loop. It
 * holds at most {@code window} bytes that the socket has not yet taken: a writer blocks until
 * earlier writes complete, so a slow reader slows the producer instead of filling the heap. The
 * response's headers must be set before the first flush; ending the response stays with the caller.
 *
 * <p>Pieces go out in pooled direct buffers, the memory a socket write reads from: a heap piece
 * would cost Netty one more copy into a direct buffer on the event loop before the system call, and
 * a fresh heap array per piece for the collector. Each piece is released once the socket took it
 * (Vert.x hands the channel an unreleasable view of the buffer, so the release is ours). Small
 * writes are staged in a heap array that the sink keeps: a writer that fails mid-response and never
 * closes the sink leaves nothing pooled behind.
 */
public final class ResponseSink extends OutputStream {
  private static final int CHUNK = 64 * 1024;
  private static final int MAX_PIECE = 512 * 1024;
  private static final int WINDOW = 1 << 20;

  private final IntFunction<ByteBuf> pieces;
  private final SendQueue<ByteBuf> queue;
  private final byte[] buffer = new byte[CHUNK];
  private int buffered;
  private long written;

  public ResponseSink(Context context, HttpServerResponse response) {
    this(context, response, n -> ByteBufAllocator.DEFAULT.directBuffer(n, n));
  }

  /** With {@code pieces} allocating the direct buffer of each piece (tests count them). */
  ResponseSink(Context context, HttpServerResponse response, IntFunction<ByteBuf> pieces) {
    this.pieces = pieces;
    this.queue =
        new SendQueue<>(
            context,
            WINDOW,
            ByteBuf::readableBytes,
            piece -> response.write(BufferInternal.buffer(piece)),
            ByteBuf::release);
  }

  /** Bytes handed to the response so far (flushed or not). */
  public long written() {
    return written + buffered;
  }

  @Override
  public void write(int b) throws IOException {
    if (buffered == buffer.length) {
      flush();
    }
    buffer[buffered++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (buffered == 0 && len >= CHUNK) {
      // A large write (a file's block from the exporter) goes out in pieces of up to MAX_PIECE
      // bytes: one copy (the caller may reuse b) and one event-loop task per piece rather than
      // per CHUNK.
      while (len > 0) {
        int n = Math.min(len, MAX_PIECE);
        written += n;
        send(b, off, n);
        off += n;
        len -= n;
      }
      return;
    }
    while (len > 0) {
      if (buffered == buffer.length) {
        flush();
      }
      int n = Math.min(len, buffer.length - buffered);
      System.arraycopy(b, off, buffer, buffered, n);
      buffered += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() throws IOException {
    if (buffered == 0) {
      return;
    }
    int n = buffered;
    buffered = 0;
    written += n;
    send(buffer, 0, n);
  }

  /**
   * Hands {@code len} bytes of {@code b} to the response without copying them here: the sink keeps
   * the array until the socket has taken it, so the caller must never write to it again. Netty
   * copies a heap piece into a direct buffer on the event loop, so this suits a producer that is
   * the slower stage of the pipeline (the gateway's block reads): the copy moves to the thread that
   * waits on the socket anyway. Bytes written earlier go first.
   */
  public void writeOwned(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    flush();
    if (len > 0) {
      written += len;
      queue.enqueue(Unpooled.wrappedBuffer(b, off, len));
    }
  }

  /** Copies {@code n} bytes into a pooled direct piece and hands it to the event loop. */
  private void send(byte[] b, int off, int n) throws IOException {
    ByteBuf piece = pieces.apply(n);
    piece.writeBytes(b, off, n);
    queue.enqueue(piece);
  }

  /**
   * Flushes and waits until the response has taken every byte, so that whoever ends the response
   * next cannot overtake the last chunk. Does not end the response.
   */
  @Override
  public void close() throws IOException {
    flush();
    queue.awaitSent();
  }
}
