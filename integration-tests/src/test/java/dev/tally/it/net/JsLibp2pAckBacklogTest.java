package dev.tally.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.net.Connection;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.testing.EchoOnce;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Many streams opened the moment a connection to js-libp2p 3 is up. js-libp2p holds streams that
 * arrive before it has set the connection up and aborts the whole connection past 10 of them
 * ({@code maxEarlyStreams}); Tally holds its streams beyond the ACK backlog until the peer
 * acknowledges earlier ones (ADR 030), so the connection survives and every stream completes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsLibp2pAckBacklogTest {
  private static final String ECHO = "/tally/echo/1.0.0";
  private static final Duration WAIT = Duration.ofMinutes(2);

  private Vertx vertx;
  private BasicHost tally;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    byte[] seed = new byte[32];
    seed[31] = 41;
    tally = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(seed), HostOptions.defaults());
  }

  @AfterAll
  void stop() throws Exception {
    if (tally != null) {
      tally.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void hundredStreamsOpenedAtOnceToANodeSlowToSetUpAllEchoAndTheConnectionSurvives()
      throws Exception {
    byte[] seed = new byte[32];
    seed[31] = 42;
    // The node's gater takes 300 ms: everything Tally sends after the handshake waits that long
    // before js-libp2p even creates its muxer, as on a busy node.
    try (JsLibp2pPeer js = JsLibp2pPeer.startSlowToSetUp(seed, Duration.ofMillis(300))) {
      openManyAtOnceAndEcho(js, 100);
    }
  }

  @Test
  void twoHundredStreamsOpenedAtOnceToAnIdleNodeAllEcho() throws Exception {
    byte[] seed = new byte[32];
    seed[31] = 43;
    try (JsLibp2pPeer js = JsLibp2pPeer.start(seed)) {
      openManyAtOnceAndEcho(js, 200);
    }
  }

  private void openManyAtOnceAndEcho(JsLibp2pPeer js, int count) throws Exception {
    byte[] data = new byte[4096];
    new Random(count).nextBytes(data);
    Promise<Connection> connected = Promise.promise();
    // All opens happen in the task that sees the dial complete: nothing has come back from js yet.
    Future<List<Buffer>> echoes =
        tally
            .dial(js.address)
            .compose(
                c -> {
                  connected.complete(c);
                  List<Future<Buffer>> all = new ArrayList<>();
                  for (int i = 0; i < count; i++) {
                    all.add(c.newStream(List.of(ECHO)).compose(s -> EchoOnce.send(s, data)));
                  }
                  return Future.all(all).map(cf -> cf.<Buffer>list());
                });
    List<Buffer> got = echoes.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(count, got.size());
    for (Buffer b : got) {
      assertEquals(Buffer.buffer(data), b);
    }
    Connection c = connected.future().result();
    assertFalse(c.isClosed(), "the connection survived");
    // And it keeps working: one more echo on the same connection.
    Buffer again =
        c.newStream(List.of(ECHO))
            .compose(s -> EchoOnce.send(s, data))
            .await(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(Buffer.buffer(data), again);
    c.close().await(10, TimeUnit.SECONDS);
  }
}
