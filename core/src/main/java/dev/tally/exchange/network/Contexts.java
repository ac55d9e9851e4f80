package dev.tally.exchange.network;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Moves work and completions onto the one context that owns the exchange's state. */
public final class Contexts {
  private Contexts() {}

  /** Runs {@code action} on {@code ctx} (now, if already there). */
  public static void run(Context ctx, Runnable action) {
    if (Vertx.currentContext() == ctx) {
      action.run();
    } else {
      ctx.runOnContext(v -> action.run());
    }
  }

  /** Runs {@code action} on {@code ctx} after {@code millis} (an upload-cap wait, say). */
  public static void runAfter(Vertx vertx, Context ctx, long millis, Runnable action) {
    vertx.setTimer(millis, id -> run(ctx, action));
  }

  /** Calls {@code action} on {@code ctx}; its future's listeners then also run on {@code ctx}. */
  public static <T> Future<T> call(Context ctx, Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    run(
        ctx,
        () -> {
          try {
            on(ctx, action.get()).onComplete(p);
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  /** A future completed on {@code ctx} with {@code f}'s outcome. */
  public static <T> Future<T> on(Context ctx, Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> run(ctx, () -> p.handle(ar)));
    return p.future();
  }
}
