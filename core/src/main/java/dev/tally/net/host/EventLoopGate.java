package dev.tally.net.host;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Confines work to a connection's event-loop thread. The Yamux session and the Noise cipher state
 * of a connection are single-threaded: a call from any other thread is queued to that event loop.
 *
 * <p>The test is the thread, not {@link io.vertx.core.Vertx#currentContext()}: code inside {@code
 * executeBlocking} sees the context that called it as its current context while running on a worker
 * thread, and treating that as "on the context" let a worker write Yamux frames concurrently with
 * the event loop (a header of one write followed by the payload of another: "unsupported Yamux
 * version" at the peer).
 *
 * <p>Calls keep their order per gate: while forwarded calls are still queued, a call made on the
 * event loop itself queues behind them instead of overtaking.
 */
final class EventLoopGate {
  private final Context context;
  private final EventLoop loop;
  private final AtomicInteger queued = new AtomicInteger();

  EventLoopGate(Context context) {
    if (!context.isEventLoopContext()) {
      throw new IllegalArgumentException("a connection runs on an event-loop context: " + context);
    }
    this.context = context;
    this.loop = ((ContextInternal) context).nettyEventLoop();
  }

  /** Whether the caller may touch the confined state directly now. */
  boolean direct() {
    return loop.inEventLoop() && queued.get() == 0;
  }

  void run(Runnable action) {
    if (direct()) {
      action.run();
      return;
    }
    queued.incrementAndGet();
    context.runOnContext(
        v -> {
          try {
            action.run();
          } finally {
            queued.decrementAndGet();
          }
        });
  }

  <T> Future<T> call(Supplier<Future<T>> action) {
    if (direct()) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    run(() -> action.get().onComplete(promise));
    return promise.future();
  }
}
