package dev.tally.net.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Runs test steps on one Vert.x event-loop context and waits for their futures. */
public final class Loop implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final Context context = vertx.getOrCreateContext();

  public <T> T await(Supplier<Future<T>> step) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            step.get().onSuccess(result::complete).onFailure(result::completeExceptionally);
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("step failed: " + e, e);
    }
  }

  public <T> T call(Supplier<T> step) {
    return await(() -> Future.succeededFuture(step.get()));
  }

  public void run(Runnable step) {
    call(
        () -> {
          step.run();
          return null;
        });
  }

  /** Polls {@code condition} on the context until it holds or {@code timeout} passes. */
  public void until(Duration timeout, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (call(condition::getAsBoolean)) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for: " + what);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
