package dev.tally.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bench's plain-TCP ceiling delivers exactly what it sends, and a stalled run fails fast. */
class NetCeilingsTest {
  private final Vertx client = Vertx.vertx();
  private final Vertx server = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    server.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void plainTcpDeliversExactlyTheBytesSentAndTheServersAcknowledgement() throws Exception {
    Buffer chunk = Buffer.buffer(new byte[BenchSink.CHUNK]);
    double seconds =
        NetCeilings.plainTcpSeconds(client, server, 64L << 20, chunk, Duration.ofSeconds(30));
    assertTrue(seconds > 0, seconds + " s");
  }

  /**
   * Vert.x calls a socket's drain handler on every drain, also on one after the last write (the
   * last write filled the queue, or a write earlier). The bench once answered such a drain by
   * sending the rest of an earlier pump a second time: the server never saw exactly the bytes sent
   * and the run waited out its 10 minutes, about 1 bench run in 20.
   */
  @Test
  void aDrainAfterTheLastWriteSendsNothingMore() {
    FakeSocket fake = new FakeSocket();
    Buffer chunk = Buffer.buffer(new byte[1000]);
    new NetCeilings.Pump(fake.socket(), 3500, chunk).run();
    for (int drain = 0; drain < 10; drain++) {
      fake.drain();
    }
    assertEquals(3500, fake.written);
  }

  /** A socket whose write queue is full after every write until it drains. */
  private static final class FakeSocket {
    long written;
    boolean full;
    Handler<Void> drainHandler;

    @SuppressWarnings("unchecked")
    NetSocket socket() {
      return (NetSocket)
          Proxy.newProxyInstance(
              NetSocket.class.getClassLoader(),
              new Class<?>[] {NetSocket.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "writeQueueFull" -> full;
                    case "write" -> {
                      written += ((Buffer) args[0]).length();
                      full = true;
                      yield Future.succeededFuture();
                    }
                    case "drainHandler" -> {
                      drainHandler = (Handler<Void>) args[0];
                      yield proxy;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
    }

    void drain() {
      full = false;
      if (drainHandler != null) {
        drainHandler.handle(null);
      }
    }
  }

  @Test
  void aTransferThatStopsMovingFailsWithWhatItHadDone() {
    Promise<Long> never = Promise.promise();
    long started = System.nanoTime();
    NetCeilings.StalledException e =
        assertThrows(
            NetCeilings.StalledException.class,
            () ->
                NetCeilings.awaitProgress(
                    never.future(), () -> 42, Duration.ofMillis(300), () -> "sent 42 of 100"));
    assertEquals("sent 42 of 100; no progress for 300 ms", e.getMessage());
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(ms >= 300, "failed after " + ms + " ms, before its stall time");
  }

  @Test
  void aTransferThatKeepsMovingMayTakeLongerThanTheStallTime() throws Exception {
    Promise<Long> done = Promise.promise();
    AtomicLong checks = new AtomicLong();
    // Every look at the progress finds it moved; the fourth look finishes the transfer.
    long got =
        NetCeilings.awaitProgress(
            done.future(),
            () -> {
              long n = checks.incrementAndGet();
              if (n == 4) {
                done.complete(n);
              }
              return n;
            },
            Duration.ofMillis(100),
            () -> "moving");
    assertEquals(4, got);
  }
}
