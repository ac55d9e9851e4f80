package dev.tally.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
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

  private final Context context;
  private final HttpServerResponse response;
  private final IntFunction<ByteBuf> pieces;
  private final Object lock = new Object();
  private final byte[] buffer = new byte[CHUNK];
  private int buffered;
  private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>(); // guarded by lock
  private boolean drainScheduled; // guarded by lock
  private boolean writerWaiting; // guarded by lock
  private long inFlight; // guarded by lock
  private Throwable failure; // guarded by lock
  private long written;

  public ResponseSink(Context context, HttpServerResponse response) {
    this(context, response, n -> ByteBufAllocator.DEFAULT.directBuffer(n, n));
  }

  /** With {@code pieces} allocating the direct buffer of each piece (tests count them). */
  ResponseSink(Context context, HttpServerResponse response, IntFunction<ByteBuf> pieces) {
    this.context = context;
    this.response = response;
    this.pieces = pieces;
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
      enqueue(Unpooled.wrappedBuffer(b, off, len), len);
    }
  }

  /** Copies {@code n} bytes into a pooled direct piece and hands it to the event loop. */
  private void send(byte[] b, int off, int n) throws IOException {
    ByteBuf piece = pieces.apply(n);
    piece.writeBytes(b, off, n);
    enqueue(piece, n);
  }

  /** Waits for room in the window, then queues {@code piece} for the event loop. */
  private void enqueue(ByteBuf piece, int n) throws IOException {
    boolean schedule;
    synchronized (lock) {
      while (inFlight >= WINDOW && failure == null) {
        writerWaiting = true;
        try {
          lock.wait();
        } catch (InterruptedException e) {
          piece.release();
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the client was slow to read");
        } finally {
          writerWaiting = false;
        }
      }
      if (failure != null) {
        piece.release();
        throw new IOException("client connection failed: " + failure.getMessage(), failure);
      }
      inFlight += n;
      pending.add(piece);
      // One event-loop task takes every piece queued meanwhile: a task per piece would cost the
      // event loop a wake-up (a system call when it sleeps in select) for each.
      schedule = !drainScheduled;
      drainScheduled = true;
    }
    if (schedule) {
      context.runOnContext(v -> drain());
    }
  }

  /** Event loop: writes the queued pieces in order until none is left. */
  private void drain() {
    while (true) {
      ByteBuf piece;
      synchronized (lock) {
        piece = pending.poll();
        if (piece == null) {
          drainScheduled = false;
          return;
        }
      }
      write(piece, piece.readableBytes());
    }
  }

  private void write(ByteBuf piece, int n) {
    Future<Void> done;
    try {
      Buffer chunk = BufferInternal.buffer(piece);
      done = response.write(chunk);
    } catch (IllegalStateException e) {
      done = Future.failedFuture(e); // the response was closed under us
    }
    done.onComplete(
        ar -> {
          piece.release();
          synchronized (lock) {
            inFlight -= n;
            if (ar.failed() && failure == null) {
              failure = ar.cause();
            }
            if (writerWaiting) {
              lock.notifyAll();
            }
          }
        });
  }

  /**
   * Flushes and waits until the response has taken every byte, so that whoever ends the response
   * next cannot overtake the last chunk. Does not end the response.
   */
  @Override
  public void close() throws IOException {
    flush();
    synchronized (lock) {
      while (inFlight > 0 && failure == null) {
        writerWaiting = true;
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the client was slow to read");
        } finally {
          writerWaiting = false;
        }
      }
      if (failure != null) {
        throw new IOException("client connection failed: " + failure.getMessage(), failure);
      }
    }
  }
}
