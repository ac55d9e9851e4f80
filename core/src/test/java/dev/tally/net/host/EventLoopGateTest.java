package dev.tally.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopGateTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final EventLoopGate gate = new EventLoopGate(loop);

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private Thread loopThread() throws Exception {
    CompletableFuture<Thread> t = new CompletableFuture<>();
    loop.runOnContext(v -> t.complete(Thread.currentThread()));
    return t.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWorkerInsideExecuteBlockingIsNotTheEventLoop() throws Exception {
    Thread eventLoop = loopThread();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    CompletableFuture<Boolean> direct = new CompletableFuture<>();
    CompletableFuture<Context> current = new CompletableFuture<>();
    loop.runOnContext(
        v ->
            vertx.executeBlocking(
                () -> {
                  current.complete(Vertx.currentContext());
                  direct.complete(gate.direct());
                  gate.run(() -> ranOn.complete(Thread.currentThread()));
                  return null;
                }));
    // Vert.x reports the calling event-loop context as current on the worker: a context check
    // would let this thread into the connection's state.
    assertEquals(loop, current.get(10, TimeUnit.SECONDS));
    assertFalse(direct.get(10, TimeUnit.SECONDS), "a worker thread may not touch loop state");
    assertEquals(eventLoop, ranOn.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aCallOnTheLoopQueuesBehindCallsForwardedFromOtherThreads() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.runOnContext(
        v -> {
          Thread foreign = new Thread(() -> gate.run(() -> order.add("foreign")));
          foreign.start();
          try {
            foreign.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          // The foreign call is queued, not run yet; this one must not overtake it.
          gate.run(() -> order.add("loop"));
          gate.run(() -> done.complete(null));
        });
    done.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("foreign", "loop"), order);
  }

  @Test
  void callsFromTheLoopRunDirectlyAndFuturesComeBackFromElsewhere() throws Exception {
    CompletableFuture<Boolean> direct = new CompletableFuture<>();
    loop.runOnContext(v -> direct.complete(gate.direct()));
    assertTrue(direct.get(10, TimeUnit.SECONDS));
    assertFalse(gate.direct(), "the test thread is not the loop");
    Thread eventLoop = loopThread();
    Future<Thread> f = gate.call(() -> Future.succeededFuture(Thread.currentThread()));
    assertEquals(eventLoop, f.await(10, TimeUnit.SECONDS));
  }

  @Test
  void refusesAWorkerContext() {
    Context worker = ((io.vertx.core.internal.VertxInternal) vertx).createWorkerContext();
    assertThrows(IllegalArgumentException.class, () -> new EventLoopGate(worker));
    assertTrue(((ContextInternal) loop).isEventLoopContext());
  }
}
