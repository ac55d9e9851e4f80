package dev.tally.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What the response sinks share: pieces a worker hands over are written in order on the event loop
 * (one task takes every piece queued meanwhile: a task per piece would cost the event loop a
 * wake-up each), with at most {@code window} bytes queued and not yet taken by the socket: a
 * producer blocks until earlier pieces complete, so a slow reader slows it down instead of filling
 * the heap. Every piece completes, written or failed with the connection, and is then given to
 * {@code done} (release what it holds); a piece refused because the connection already failed is
 * given to {@code done} at once.
 */
final class SendQueue<T> {
  private final Context context;
  private final long window;
  private final ToIntFunction<T> size;
  private final Function<T, Future<Void>> write;
  private final Consumer<T> done;
  private final Object lock = new Object();
  private final ArrayDeque<T> pending = new ArrayDeque<>(); // guarded by lock
  private boolean drainScheduled; // guarded by lock
  private boolean writerWaiting; // guarded by lock
  private long inFlight; // guarded by lock
  private Throwable failure; // guarded by lock
  private Runnable onIdle; // guarded by lock

  /**
   * @param write on the event loop: writes a piece; the future completes when the socket took it
   *     (an {@link IllegalStateException} thrown counts as a failed write: the response closed)
   */
  SendQueue(
      Context context,
      long window,
      ToIntFunction<T> size,
      Function<T, Future<Void>> write,
      Consumer<T> done) {
    this.context = context;
    this.window = window;
    this.size = size;
    this.write = write;
    this.done = done;
  }

  /** Waits for room in the window, then queues {@code piece} for the event loop. */
  void enqueue(T piece) throws IOException {
    boolean schedule;
    synchronized (lock) {
      while (inFlight >= window && failure == null) {
        writerWaiting = true;
        try {
          lock.wait();
        } catch (InterruptedException e) {
          done.accept(piece);
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the client was slow to read");
        } finally {
          writerWaiting = false;
        }
      }
      if (failure != null) {
        done.accept(piece);
        throw new IOException("client connection failed: " + failure.getMessage(), failure);
      }
      inFlight += size.applyAsInt(piece);
      pending.add(piece);
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
      T piece;
      synchronized (lock) {
        piece = pending.poll();
        if (piece == null) {
          drainScheduled = false;
          return;
        }
      }
      int n = size.applyAsInt(piece);
      Future<Void> written;
      try {
        written = write.apply(piece);
      } catch (IllegalStateException e) {
        written = Future.failedFuture(e); // the response was closed under us
      }
      written.onComplete(
          ar -> {
            done.accept(piece);
            Runnable idle = null;
            synchronized (lock) {
              inFlight -= n;
              if (ar.failed() && failure == null) {
                failure = ar.cause();
              }
              if (writerWaiting) {
                lock.notifyAll();
              }
              if (inFlight == 0 && onIdle != null) {
                idle = onIdle;
                onIdle = null;
              }
            }
            if (idle != null) {
              idle.run();
            }
          });
    }
  }

  /** Waits until every queued piece completed; fails if the connection did. */
  void awaitSent() throws IOException {
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

  /** Runs {@code action} once no piece is queued or in flight (now, if none is). Once. */
  void whenIdle(Runnable action) {
    boolean now;
    synchronized (lock) {
      now = inFlight == 0;
      if (!now) {
        onIdle = action;
      }
    }
    if (now) {
      action.run();
    }
  }
}
