package dev.tally.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Await;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Regression: Vert.x drops bytes that reach a socket before it has a handler. */
class TcpEarlyBytesStressTest {
  Vertx vertx;
  TcpTransport transport;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    transport = new TcpTransport(vertx, TcpOptions.DEFAULTS);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void dialFromAForeignThreadKeepsTheAcceptorsFirstBytes() {
    assertEquals(0, lostGreetings(false));
  }

  @Test
  void dialFromAnEventLoopKeepsTheAcceptorsFirstBytes() {
    assertEquals(0, lostGreetings(true));
  }

  /**
   * Dials 200 times; the acceptor greets at once and the dialler sets its handler a little later.
   * Returns how many greetings never arrived.
   */
  private int lostGreetings(boolean fromEventLoop) {
    TcpListener listener =
        Await.result(
            transport.listen(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), d -> d.write(Buffer.buffer("hello"))));
    int lost = 0;
    for (int i = 0; i < 200; i++) {
      Promise<String> got = Promise.promise();
      Runnable dial =
          () ->
              transport
                  .dial(listener.address())
                  .onSuccess(
                      d -> vertx.setTimer(5, t -> d.handler(b -> got.tryComplete(b.toString()))));
      if (fromEventLoop) {
        vertx.runOnContext(v -> dial.run());
      } else {
        dial.run();
      }
      try {
        got.future()
            .toCompletionStage()
            .toCompletableFuture()
            .get(2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        lost++;
      }
    }
    return lost;
  }
}
