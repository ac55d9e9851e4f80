package dev.tally.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes at most {@code max} requests at a time to {@code next}; the others get 503 with {@code
 * Retry-After} at once, so a crowd of slow clients cannot tie up every worker thread. Tells the
 * server's {@link ConnectionGuard} when each request starts and ends (it owns the response's end
 * and close handlers, which Vert.x lets only one party set).
 */
public final class ConcurrencyLimit implements Handler<HttpServerRequest> {
  private final int max;
  private final Handler<HttpServerRequest> next;
  private final ConnectionGuard guard;
  private final AtomicInteger active = new AtomicInteger();

  public ConcurrencyLimit(int max, ConnectionGuard guard, Handler<HttpServerRequest> next) {
    this.max = max;
    this.guard = guard;
    this.next = next;
  }

  /** Requests in progress now. */
  public int active() {
    return active.get();
  }

  @Override
  public void handle(HttpServerRequest request) {
    guard.started(request);
    boolean admitted = active.incrementAndGet() <= max;
    if (!admitted) {
      active.decrementAndGet();
    }
    AtomicBoolean released = new AtomicBoolean();
    Handler<Void> release =
        v -> {
          if (released.compareAndSet(false, true)) {
            if (admitted) {
              active.decrementAndGet();
            }
            guard.finished(request);
          }
        };
    request.response().endHandler(release);
    request.response().closeHandler(release);
    if (!admitted) {
      request
          .response()
          .setStatusCode(503)
          .putHeader("Retry-After", "1")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("too many requests in progress (limit " + max + "); retry later\n");
      return;
    }
    next.handle(request);
  }
}
