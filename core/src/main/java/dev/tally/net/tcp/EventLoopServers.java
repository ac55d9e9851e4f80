package dev.tally.net.tcp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Listens one server instance per event loop on one port, so that accepted connections spread over
 * every event loop instead of all landing on the loop that called {@code listen} (ADR 028).
 *
 * <p>Vert.x shares a listening socket between server instances of the same host and port that
 * listen from different contexts, and hands each accepted connection to the next instance's event
 * loop in turn. A server that listens on port 0 is never shared, though: a second instance on the
 * port it was given fails with "Address already in use". For port 0 the instances therefore listen
 * on one negative port, Vert.x's key for sharing a randomly chosen port; each port-0 listen here
 * takes a fresh key, so two unrelated servers of one Vert.x instance never end up on one socket.
 */
public final class EventLoopServers {
  /** The last negative sharing key handed out (as a positive number). */
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private EventLoopServers() {}

  /**
   * Creates and listens one server per event loop of {@code vertx} on {@code port} (0: a free port,
   * the same one for all), and completes with them once all listen; the first in the list is the
   * one that bound the socket. If any fails, those already listening are closed again.
   *
   * <p>Call it from a thread that is not an event loop: it first runs Netty's one-time allocator
   * set-up there ({@link AllocatorWarmUp}), so that a server's first connection does not pay it on
   * an event loop, also when no libp2p host was created before (an HTTP-only server, ADR 039).
   *
   * @param listen creates a server whose options carry the given port and calls its no-argument
   *     {@code listen()}; called on the context the server is to serve from. The port may be
   *     negative (a sharing key), which only the options accept: {@code listen(port, host)} checks
   *     its range.
   * @param actualPort the port a listening server is bound to
   * @param close closes a server
   */
  public static <S> Future<List<S>> listen(
      Vertx vertx,
      int port,
      IntFunction<Future<S>> listen,
      ToIntFunction<S> actualPort,
      Function<S, Future<Void>> close) {
    Objects.requireNonNull(listen, "listen");
    AllocatorWarmUp.ensure();
    if (port < 0 || port > 65535) {
      return Future.failedFuture(new IllegalArgumentException("port out of range: " + port));
    }
    int shared = port == 0 ? nextRandomPortKey() : port;
    List<Context> contexts = contexts(vertx);
    return on(contexts.get(0), shared, listen)
        .compose(
            first -> {
              if (port == 0 && actualPort.applyAsInt(first) <= 0) {
                close.apply(first);
                return Future.failedFuture(
                    new IllegalStateException("the server reports no bound port"));
              }
              List<Future<S>> others = new ArrayList<>();
              for (Context c : contexts.subList(1, contexts.size())) {
                others.add(on(c, shared, listen));
              }
              return Future.join(others)
                  .transform(
                      ar -> {
                        List<S> all = new ArrayList<>();
                        all.add(first);
                        for (Future<S> f : others) {
                          if (f.succeeded()) {
                            all.add(f.result());
                          }
                        }
                        if (ar.succeeded()) {
                          return Future.succeededFuture(List.copyOf(all));
                        }
                        List<Future<Void>> closing = new ArrayList<>();
                        for (S s : all) {
                          closing.add(close.apply(s));
                        }
                        Throwable cause = ar.cause();
                        return Future.join(closing)
                            .transform(v -> Future.<List<S>>failedFuture(cause));
                      });
            });
  }

  /** Closes every server and completes when all have closed (failing if any failed). */
  public static <S> Future<Void> closeAll(List<S> servers, Function<S, Future<Void>> close) {
    List<Future<Void>> all = new ArrayList<>();
    for (S s : servers) {
      all.add(close.apply(s));
    }
    return Future.join(all).mapEmpty();
  }

  /**
   * One event-loop context on each event loop of {@code vertx}, in the pool's order. A context per
   * loop, not one per {@code createEventLoopContext()} call: that picks loops round-robin across
   * the whole instance, so concurrent callers could leave two servers on one loop.
   */
  public static List<Context> contexts(Vertx vertx) {
    VertxInternal internal = (VertxInternal) vertx;
    List<Context> contexts = new ArrayList<>();
    for (EventExecutor executor : internal.nettyEventLoopGroup()) {
      contexts.add(
          internal
              .contextBuilder()
              .withThreadingModel(ThreadingModel.EVENT_LOOP)
              .withEventLoop((EventLoop) executor)
              .build());
    }
    if (contexts.isEmpty()) {
      throw new IllegalStateException("Vert.x has no event loop");
    }
    return contexts;
  }

  private static <S> Future<S> on(Context context, int port, IntFunction<Future<S>> listen) {
    Promise<S> result = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            listen.apply(port).onComplete(result);
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  private static int nextRandomPortKey() {
    return -RANDOM_PORT_KEYS.updateAndGet(n -> n == Integer.MAX_VALUE ? 1 : n + 1);
  }
}
