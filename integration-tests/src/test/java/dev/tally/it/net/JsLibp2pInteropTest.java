package dev.tally.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.PeerInfo;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.identify.IdentifyInfo;
import dev.tally.net.testing.EchoOnce;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tally's host against js-libp2p 3 (TCP, Noise, Yamux, identify, ping) in both directions. The JS
 * node runs an echo protocol; both peers have fixed identities so failures reproduce.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsLibp2pInteropTest {
  private static final String ECHO = "/tally/echo/1.0.0";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Vertx vertx;
  private BasicHost tally;
  private JsLibp2pPeer js;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    byte[] seed = new byte[32];
    seed[31] = 7;
    tally = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(seed), HostOptions.defaults());
    tally.setHandler(ECHO, JsLibp2pInteropTest::echo);
    tally.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).await(10, TimeUnit.SECONDS);
    byte[] jsSeed = new byte[32];
    jsSeed[31] = 9;
    js = JsLibp2pPeer.start(jsSeed);
  }

  @AfterAll
  void stop() throws Exception {
    if (js != null) {
      js.close();
    }
    if (tally != null) {
      tally.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static void echo(Stream s) {
    s.handler(
        b -> {
          s.write(b);
          if (s.writeQueueFull()) {
            s.pause();
            s.drainHandler(v -> s.resume());
          }
        });
    s.endHandler(v -> s.end());
    s.resume();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private Multiaddr tallyAddress() {
    return tally.listenAddresses().get(0).encapsulate("/p2p/" + tally.peerId());
  }

  @Test
  void tallyDialsJsIdentifiesItAndPingsAHundredTimes() throws Exception {
    Connection c = await(tally.dial(js.address));
    assertEquals(js.peerId, c.remotePeer());

    IdentifyInfo info = await(tally.identify().identified(c));
    assertTrue(info.agentVersion().orElseThrow().startsWith("js-libp2p/"), info.toString());
    assertEquals(Optional.of("ipfs/0.1.0"), info.protocolVersion());
    assertTrue(
        info.protocols().containsAll(List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", ECHO)),
        info.protocols().toString());
    assertTrue(js.peerId.matches(info.publicKey().orElseThrow()));
    assertTrue(
        info.listenAddrs().stream().anyMatch(a -> js.address.toString().startsWith(a.toString())),
        info.listenAddrs() + " vs " + js.address);
    // js-libp2p appends our /p2p id to the address it observed.
    assertEquals(
        c.localAddress().encapsulate("/p2p/" + tally.peerId()), info.observedAddr().orElseThrow());
    PeerInfo stored = tally.peerStore().get(js.peerId).orElseThrow();
    assertEquals(info.protocols(), stored.protocols());

    List<Duration> rtts = await(tally.ping().ping(js.peerId, 100));
    assertEquals(100, rtts.size());
  }

  @Test
  void jsDialsTallyPingsItAndSeesItsIdentify() throws Exception {
    JsonObject pinged =
        js.command(
            new JsonObject()
                .put("cmd", "ping")
                .put("addr", tallyAddress().toString())
                .put("count", 100),
            WAIT);
    assertEquals(100, pinged.getJsonArray("rtts").size());

    JsonObject identify = js.awaitEvent("identify", WAIT);
    assertEquals(tally.peerId().toString(), identify.getString("peerId"));
    assertEquals(HostOptions.AGENT_VERSION, identify.getString("agentVersion"));
    assertEquals("ipfs/0.1.0", identify.getString("protocolVersion"));
    JsonArray protocols = identify.getJsonArray("protocols");
    assertTrue(
        protocols.contains("/ipfs/ping/1.0.0") && protocols.contains(ECHO), protocols.encode());
    assertTrue(
        identify.getJsonArray("listenAddrs").stream()
            .anyMatch(a -> tally.listenAddresses().get(0).toString().equals(a)),
        identify.encode());
    assertTrue(identify.getString("observedAddr") != null, identify.encode());
  }

  @Test
  void jsLearnsTallysNewProtocolsByIdentifyPush() throws Exception {
    Connection c = await(tally.dial(js.address));
    await(tally.identify().identified(c));
    js.awaitEvent("identify", WAIT);
    tally.setHandler("/tally/pushed/1.0.0", Stream::reset);
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonArray protocols = new JsonArray();
    while (System.nanoTime() < deadline && !protocols.contains("/tally/pushed/1.0.0")) {
      Thread.sleep(50);
      protocols =
          js.command(
                  new JsonObject().put("cmd", "peer").put("peerId", tally.peerId().toString()),
                  WAIT)
              .getJsonArray("protocols");
    }
    assertTrue(protocols.contains("/tally/pushed/1.0.0"), protocols.encode());
  }

  @Test
  void aJsHangUpReleasesTheConnectionOnTallysSide() throws Exception {
    Connection c = await(tally.dial(js.address));
    js.command(
        new JsonObject().put("cmd", "hangup").put("peerId", tally.peerId().toString()), WAIT);
    await(c.closeFuture());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (tally.connections().stream().anyMatch(x -> x.remotePeer().equals(js.peerId))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(tally.connections().stream().noneMatch(x -> x.remotePeer().equals(js.peerId)));
    assertEquals(0, c.streamCount());
  }

  @Test
  void tallyEchoesThroughJsOnManyConcurrentStreams() throws Exception {
    Connection c = js.dialFrom(tally, WAIT);
    echoBurst(js, 200, 11);
    // All 200 on the one connection, which outlives them; every stream leaves Tally's table once
    // both sides have closed it (a stream left behind would hold one of the session's 256 slots).
    assertFalse(c.isClosed());
    assertTrue(tally.connections().contains(c));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (c.streamCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, c.streamCount());
  }

  @Test
  void tallyEchoesThroughJsHandlersThatStartReadingLate() throws Exception {
    byte[] seed = new byte[32];
    seed[31] = 10;
    // On a loaded machine js-libp2p hands a stream to its handler only after the stream's set-up
    // (one peer-store write at a time per peer) has ended: for the later streams of a burst, after
    // Tally's data and FIN have arrived. Before ADR 039 the test peer's handlers then never saw
    // the end of their stream, and the burst hung.
    try (JsLibp2pPeer late = JsLibp2pPeer.startWithLateHandlers(seed, Duration.ofMillis(500))) {
      late.dialFrom(tally, WAIT);
      echoBurst(late, 50, 12);
    }
  }

  /** Opens {@code streams} echo streams to {@code peer} at once; each must echo 64 KiB intact. */
  private void echoBurst(JsLibp2pPeer peer, int streams, int seed) throws Exception {
    byte[] data = new byte[64 * 1024];
    new Random(seed).nextBytes(data);
    List<Future<Buffer>> all = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      all.add(tally.newStream(peer.peerId, ECHO).compose(s -> EchoOnce.send(s, data, 16 * 1024)));
    }
    await(Future.all(all));
    for (Future<Buffer> f : all) {
      assertEquals(Buffer.buffer(data), f.result());
    }
  }

  @Test
  void jsEchoesThroughTallyOnManyConcurrentStreams() throws Exception {
    JsonObject result =
        js.command(
            new JsonObject()
                .put("cmd", "echo")
                .put("addr", tallyAddress().toString())
                .put("streams", 200)
                .put("size", 64 * 1024),
            WAIT);
    assertEquals(200, result.getInteger("echoed"));
  }
}
