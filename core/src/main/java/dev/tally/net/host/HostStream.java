package dev.tally.net.host;

import dev.tally.net.Connection;
import dev.tally.net.Direction;
import dev.tally.net.Duplex;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A negotiated stream. The Yamux stream underneath is confined to the connection's event loop:
 * calls from any other thread (plain threads, Vert.x workers, other event loops) are queued to it
 * through an {@link EventLoopGate}, in the caller's order.
 *
 * <p>Back-pressure from other threads: {@link #writeQueueFull()} cannot read the Yamux stream's
 * state off its thread, so it answers from what this wrapper tracks itself: bytes of writes still
 * queued to the event loop, and whether the stream was full when it last checked on the event loop.
 * A {@code true} answer always ends in one call of the drain handler, on the event loop, once both
 * have room again.
 */
final class HostStream implements Stream {
  /**
   * Bytes a writer on another thread may queue towards the event loop before the stream is full.
   */
  static final int DEFAULT_FOREIGN_QUEUE = 64 * 1024;

  private final EventLoopGate gate;
  private final Duplex delegate;
  private final String protocol;
  private final Connection connection;
  private final Direction direction;
  private final AtomicLong inTransit = new AtomicLong();
  private final AtomicBoolean drainRequested = new AtomicBoolean();
  private final AtomicBoolean drainCheckQueued = new AtomicBoolean();
  private volatile boolean delegateFull;
  private volatile int maxInTransit = DEFAULT_FOREIGN_QUEUE;
  private volatile Handler<Void> drainHandler;

  /** Call on the connection's event loop. */
  HostStream(
      Context context,
      Duplex delegate,
      String protocol,
      Connection connection,
      Direction direction) {
    this.gate = new EventLoopGate(context);
    this.delegate = delegate;
    this.protocol = protocol;
    this.connection = connection;
    this.direction = direction;
    delegate.drainHandler(v -> onDelegateDrain());
  }

  private void on(Runnable action) {
    gate.run(action);
  }

  private <T> Future<T> onFuture(Supplier<Future<T>> action) {
    return gate.call(action);
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public HostStream exceptionHandler(Handler<Throwable> handler) {
    on(() -> delegate.exceptionHandler(handler));
    return this;
  }

  @Override
  public HostStream handler(Handler<Buffer> handler) {
    on(() -> delegate.handler(handler));
    return this;
  }

  @Override
  public HostStream pause() {
    on(delegate::pause);
    return this;
  }

  @Override
  public HostStream resume() {
    on(delegate::resume);
    return this;
  }

  @Override
  public HostStream fetch(long amount) {
    on(() -> delegate.fetch(amount));
    return this;
  }

  @Override
  public HostStream endHandler(Handler<Void> endHandler) {
    on(() -> delegate.endHandler(endHandler));
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (gate.direct()) {
      return delegate.write(data);
    }
    int n = data.length();
    inTransit.addAndGet(n);
    return onFuture(
        () -> {
          inTransit.addAndGet(-n);
          Future<Void> written = delegate.write(data);
          delegateFull = delegate.writeQueueFull();
          maybeDrain();
          return written;
        });
  }

  @Override
  public Future<Void> end() {
    return onFuture(delegate::end);
  }

  @Override
  public HostStream setWriteQueueMaxSize(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("write queue max size must be positive, got " + maxSize);
    }
    maxInTransit = maxSize;
    on(() -> delegate.setWriteQueueMaxSize(maxSize));
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    if (gate.direct()) {
      boolean full = delegate.writeQueueFull();
      delegateFull = full;
      if (full) {
        drainRequested.set(true);
      }
      return full;
    }
    if (!delegateFull && inTransit.get() < maxInTransit) {
      return false;
    }
    drainRequested.set(true);
    // Re-check on the event loop: there the Yamux stream registers for its own drain if it is
    // still full, or the drain is delivered at once if it is not.
    if (drainCheckQueued.compareAndSet(false, true)) {
      on(
          () -> {
            drainCheckQueued.set(false);
            delegateFull = delegate.writeQueueFull();
            maybeDrain();
          });
    }
    return true;
  }

  @Override
  public HostStream drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  /** On the event loop, after the Yamux stream's own drain. */
  private void onDelegateDrain() {
    delegateFull = false;
    maybeDrain();
  }

  /** On the event loop: calls the drain handler if a writer waits and there is room everywhere. */
  private void maybeDrain() {
    if (!drainRequested.get()
        || delegateFull
        || inTransit.get() >= maxInTransit
        || !drainRequested.compareAndSet(true, false)) {
      return;
    }
    Handler<Void> h = drainHandler;
    if (h != null) {
      h.handle(null);
    }
  }

  @Override
  public Future<Void> close() {
    return onFuture(delegate::close);
  }

  @Override
  public void reset() {
    on(delegate::reset);
  }

  @Override
  public Future<Void> closeFuture() {
    return delegate.closeFuture();
  }

  @Override
  public String toString() {
    return "Stream[" + protocol + " " + direction + " " + connection.remotePeer() + "]";
  }
}
