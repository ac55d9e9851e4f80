package dev.tally.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An {@link OutputStream} for a worker thread that writes into a response on its event loop. It
 * holds at most {@code window} bytes that the socket has not yet taken: a writer blocks until
 * earlier writes complete, so a slow reader slows the producer instead of filling the heap. The
 * response's headers must be set before the first flush; ending the response stays with the caller.
 */
public final class ResponseSink extends OutputStream {
  private static final int CHUNK = 64 * 1024;
  private static final int MAX_PIECE = 512 * 1024;
  private static final int WINDOW = 1 << 20;

  private final Context context;
  private final HttpServerResponse response;
  private final Object lock = new Object();
  private byte[] buffer = new byte[CHUNK];
  private int buffered;
  private long inFlight; // guarded by lock
  private Throwable failure; // guarded by lock
  private long written;

  public ResponseSink(Context context, HttpServerResponse response) {
    this.context = context;
    this.response = response;
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
    if (buffered == 0 && len >= CHUNK) {
      // A large write (a file's block from the exporter) goes out as one piece of up to
      // MAX_PIECE bytes: one copy (the caller may reuse b) and one event-loop task per piece
      // rather than per CHUNK.
      while (len > 0) {
        int n = Math.min(len, MAX_PIECE);
        written += n;
        send(Arrays.copyOfRange(b, off, off + n), n);
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
    byte[] bytes;
    if (n == buffer.length) {
      // The piece now owns the array: start a fresh one rather than overwrite bytes in flight.
      bytes = buffer;
      buffer = new byte[CHUNK];
    } else {
      // A small flush (an ndjson event) copies out and keeps the buffer.
      bytes = Arrays.copyOf(buffer, n);
    }
    buffered = 0;
    written += n;
    send(bytes, n);
  }

  /** Waits for room in the window, then hands {@code bytes} (now owned) to the event loop. */
  private void send(byte[] bytes, int n) throws IOException {
    synchronized (lock) {
      while (inFlight >= WINDOW && failure == null) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the client was slow to read");
        }
      }
      if (failure != null) {
        throw new IOException("client connection failed: " + failure.getMessage(), failure);
      }
      inFlight += n;
    }
    // Wrapped, not copied: Buffer.buffer(byte[]) would copy the bytes once more.
    Buffer chunk = BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
    context.runOnContext(v -> write(chunk, n));
  }

  private void write(Buffer chunk, int n) {
    Future<Void> done;
    try {
      done = response.write(chunk);
    } catch (IllegalStateException e) {
      done = Future.failedFuture(e); // the response was closed under us
    }
    done.onComplete(
        ar -> {
          synchronized (lock) {
            inFlight -= n;
            if (ar.failed() && failure == null) {
              failure = ar.cause();
            }
            lock.notifyAll();
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
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the client was slow to read");
        }
      }
      if (failure != null) {
        throw new IOException("client connection failed: " + failure.getMessage(), failure);
      }
    }
  }
}
