package dev.tally.net.host;

import static dev.tally.net.testing.Hosts.await;
import static dev.tally.net.testing.Hosts.p2p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.Duplex;
import dev.tally.net.PeerInfo;
import dev.tally.net.Stream;
import dev.tally.net.identify.IdentifyInfo;
import dev.tally.net.identify.IdentifyProtocol;
import dev.tally.net.multistream.MultistreamSelect;
import dev.tally.net.ping.PingProtocol;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.tcp.TcpTransport;
import dev.tally.net.testing.EchoOnce;
import dev.tally.net.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BasicHostTest {
  private static final String ECHO = "/tally/echo/1.0.0";
  private final Vertx vertx = Vertx.vertx();
  private final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (BasicHost h : hosts) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private BasicHost host(int seed, HostOptions options) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(s);
    BasicHost h = BasicHost.create(vertx, key, new KeyExchangeSecurity(key), options);
    h.setHandler(ECHO, BasicHostTest::echo);
    hosts.add(h);
    return h;
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

  @Test
  void dialsIdentifiesBothWaysAndPings() {
    BasicHost a = host(1, HostOptions.defaults());
    BasicHost b = host(2, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Connection c = await(b.dial(p2p(a)));
    assertEquals(a.peerId(), c.remotePeer());

    IdentifyInfo seenByB = await(b.identify().identified(c));
    assertEquals(Optional.of(a.publicKey()), seenByB.publicKey());
    assertEquals(Optional.of("ipfs/0.1.0"), seenByB.protocolVersion());
    assertEquals(Optional.of(HostOptions.AGENT_VERSION), seenByB.agentVersion());
    assertTrue(
        seenByB.protocols().containsAll(List.of(IdentifyProtocol.ID, PingProtocol.ID, ECHO)));
    assertEquals(a.listenAddresses(), seenByB.listenAddrs());
    assertEquals(Optional.of(c.localAddress()), seenByB.observedAddr());
    PeerInfo stored = b.peerStore().get(a.peerId()).orElseThrow();
    assertEquals(seenByB.protocols(), stored.protocols());

    waitFor(() -> a.peerStore().get(b.peerId()).map(p -> !p.protocols().isEmpty()).orElse(false));
    assertEquals(
        Optional.of(HostOptions.AGENT_VERSION),
        a.peerStore().get(b.peerId()).orElseThrow().agentVersion());

    List<Duration> rtts = await(b.ping().ping(a.peerId(), 10));
    assertEquals(10, rtts.size());
    List<Duration> back = await(a.ping().ping(b.peerId(), 3));
    assertEquals(3, back.size());
  }

  @Test
  void echoesOnHundredsOfConcurrentStreams() {
    BasicHost a = host(3, HostOptions.defaults());
    BasicHost b = host(4, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    await(b.dial(p2p(a)));
    byte[] data = new byte[64 * 1024];
    new Random(5).nextBytes(data);
    List<Future<Buffer>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(b.newStream(a.peerId(), ECHO).compose(s -> EchoOnce.send(s, data)));
    }
    await(Future.all(all));
    for (Future<Buffer> f : all) {
      assertEquals(Buffer.buffer(data), f.result());
    }
    waitFor(() -> a.connections().get(0).streamCount() == 0);
  }

  @Test
  void rejectsAPeerOtherThanTheDialledOne() {
    BasicHost a = host(5, HostOptions.defaults());
    BasicHost b = host(6, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    PeerId someoneElse = Ed25519PrivateKey.fromSeed(new byte[32]).publicKey().peerId();
    Throwable e =
        await(
            b.dial(a.listenAddresses().get(0).encapsulate("/p2p/" + someoneElse))
                .transform(ar -> Future.succeededFuture(ar.cause())));
    assertInstanceOf(HostException.class, e);
    assertTrue(e.getMessage().contains(a.peerId().toString()), e.getMessage());
    assertTrue(b.connections().isEmpty());
  }

  @Test
  void refusesInboundConnectionsOverTheLimit() {
    BasicHost a = host(7, HostOptions.defaults().withMaxConnections(1));
    BasicHost b = host(8, HostOptions.defaults());
    BasicHost c = host(9, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    await(b.dial(p2p(a)));
    Future<Connection> second = c.dial(p2p(a));
    Throwable e = await(second.transform(ar -> Future.succeededFuture(ar.cause())));
    assertTrue(e != null, "the second connection was refused");
    // The responder registers b's connection once b's last handshake message arrives, which may
    // be after c was refused: c's socket can sit on another event loop than b's.
    waitFor(() -> a.connections().size() == 1);
    assertEquals(1, a.resources().usage().connections());
  }

  @Test
  void newStreamFailsForAnUnsupportedProtocolAndTheConnectionStaysUp() {
    BasicHost a = host(10, HostOptions.defaults());
    BasicHost b = host(11, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Connection c = await(b.dial(p2p(a)));
    Throwable e =
        await(
            b.newStream(a.peerId(), "/nope/1.0.0")
                .transform(ar -> Future.succeededFuture(ar.cause())));
    assertTrue(e != null);
    assertEquals(
        Buffer.buffer("x"),
        await(b.newStream(a.peerId(), ECHO).compose(s -> EchoOnce.send(s, new byte[] {'x'}))));
    assertTrue(!c.isClosed());
  }

  @Test
  void closingAConnectionFreesItOnBothSides() {
    BasicHost a = host(12, HostOptions.defaults());
    BasicHost b = host(13, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Connection c = await(b.dial(p2p(a)));
    waitFor(() -> a.connections().size() == 1);
    await(c.close());
    waitFor(() -> a.connections().isEmpty() && b.connections().isEmpty());
  }

  @Test
  void resetsInboundStreamsOverThePerPeerLimitAndReleasesEverythingOnClose() {
    BasicHost a =
        host(
            14,
            HostOptions.defaults()
                .withResources(ResourceLimits.defaults().withMaxStreamsPerPeer(5)));
    BasicHost b = host(15, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Connection c = await(b.dial(p2p(a)));
    await(b.identify().identified(c));
    waitFor(() -> a.resources().usage().streams() == 0);
    List<Stream> open = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      open.add(await(b.newStream(a.peerId(), ECHO)));
    }
    assertEquals(5, a.resources().usage().streams());
    Throwable refused =
        await(b.newStream(a.peerId(), ECHO).transform(ar -> Future.succeededFuture(ar.cause())));
    assertTrue(refused != null, "the sixth stream was refused");
    assertEquals(5, a.resources().usage().streams());
    open.forEach(Stream::reset);
    waitFor(() -> a.resources().usage().streams() == 0);
    assertEquals(
        Buffer.buffer("y"),
        await(b.newStream(a.peerId(), ECHO).compose(s -> EchoOnce.send(s, new byte[] {'y'}))));
    await(c.close());
    waitFor(() -> a.resources().usage().equals(new ResourceManager.Usage(0, 0, 0)));
    waitFor(() -> b.resources().usage().equals(new ResourceManager.Usage(0, 0, 0)));
  }

  @Test
  void closesASecondConnectionFromAPeerOverThePerPeerLimit() {
    ResourceLimits onePerPeer = new ResourceLimits(256, 1, 16_384, 1_024, 1L << 29);
    BasicHost a = host(16, HostOptions.defaults().withResources(onePerPeer));
    BasicHost b = host(17, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    await(b.dial(a.listenAddresses().get(0)));
    // Without /p2p the dial cannot reuse the open connection, so a second one is attempted.
    b.dial(a.listenAddresses().get(0));
    waitFor(() -> b.connections().size() == 1 && a.connections().size() == 1);
    assertEquals(1, a.resources().usage().connections());
  }

  @Test
  void trimsTheLeastUsedConnectionsAboveTheHighWaterMarkButSparesProtectedPeers() {
    ConnectionManagerOptions tight =
        new ConnectionManagerOptions(1, 2, Duration.ZERO, Duration.ofMillis(50));
    BasicHost a = host(18, HostOptions.defaults().withConnectionManager(tight));
    BasicHost b = host(19, HostOptions.defaults());
    BasicHost c = host(20, HostOptions.defaults());
    BasicHost d = host(21, HostOptions.defaults());
    a.connectionManager().protect(d.peerId());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    await(d.dial(p2p(a)));
    Connection busy = await(b.dial(p2p(a)));
    await(b.newStream(a.peerId(), ECHO));
    await(c.dial(p2p(a)));
    waitFor(() -> a.connections().size() <= 2);
    waitFor(() -> c.connections().isEmpty());
    assertTrue(a.connections().stream().anyMatch(x -> x.remotePeer().equals(d.peerId())));
    assertTrue(!busy.isClosed() || a.connections().size() == 1);
  }

  @Test
  void sparesConnectionsInTheirGracePeriod() throws Exception {
    ConnectionManagerOptions patient =
        new ConnectionManagerOptions(0, 1, Duration.ofHours(1), Duration.ofMillis(50));
    BasicHost a = host(22, HostOptions.defaults().withConnectionManager(patient));
    BasicHost b = host(23, HostOptions.defaults());
    BasicHost c = host(24, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    await(b.dial(p2p(a)));
    await(c.dial(p2p(a)));
    Thread.sleep(300);
    assertEquals(2, a.connections().size());
    assertEquals(0, (int) await(a.connectionManager().trimIfNeeded()));
  }

  @Test
  void pushesNewProtocolsToConnectedPeers() {
    BasicHost a = host(25, HostOptions.defaults());
    BasicHost b = host(26, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Connection c = await(b.dial(p2p(a)));
    await(b.identify().identified(c));
    a.setHandler("/tally/late/1.0.0", Stream::reset);
    waitFor(
        () ->
            b.peerStore()
                .get(a.peerId())
                .map(p -> p.protocols().contains("/tally/late/1.0.0"))
                .orElse(false));
  }

  @Test
  void aHostileYamuxPeerIsCutOffWhileOthersKeepBeingServed() {
    BasicHost a = host(27, HostOptions.defaults());
    BasicHost good = host(28, HostOptions.defaults());
    await(a.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    Ed25519PrivateKey hostileKey =
        Ed25519PrivateKey.fromSeed(
            new byte[] {
              29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0, 0, 0, 0
            });
    KeyExchangeSecurity security = new KeyExchangeSecurity(hostileKey);
    TcpTransport tcp = new TcpTransport(vertx, TcpOptions.DEFAULTS);
    Buffer received = Buffer.buffer();
    // The hostile peer speaks the real stack up to Yamux, then writes raw frames.
    Promise<Duplex> negotiated = Promise.promise();
    vertx.runOnContext(
        v ->
            tcp.dial(a.listenAddresses().get(0))
                .compose(raw -> MultistreamSelect.select(vertx, raw, List.of(security.id())))
                .compose(n -> security.secureOutbound(n.duplex(), Optional.empty()))
                .compose(
                    sc -> MultistreamSelect.select(vertx, sc.duplex(), List.of(BasicHost.YAMUX)))
                .<Duplex>map(
                    n -> {
                      n.duplex().handler(received::appendBuffer);
                      n.duplex().resume();
                      return n.duplex();
                    })
                .onComplete(negotiated));
    Duplex muxed = await(negotiated.future());
    Buffer flood = Buffer.buffer();
    for (int i = 0; i < 10_000; i++) {
      flood.appendBuffer(YamuxFrames.frame(1, 1, 2 * i + 1, 0, Buffer.buffer()));
    }
    muxed.write(flood);
    Connection c = await(good.dial(p2p(a)));
    assertEquals(
        Buffer.buffer("ok"),
        await(c.newStream(List.of(ECHO)).compose(s -> EchoOnce.send(s, new byte[] {'o', 'k'}))));
    waitFor(() -> a.resources().usage().streams() <= 256 + 2);
    // Then data far beyond the window on the first stream: a protocol error closes the connection.
    muxed.write(YamuxFrames.frame(0, 0, 1, 300 * 1024, Buffer.buffer(new byte[300 * 1024])));
    waitFor(() -> a.connections().size() == 1);
    assertEquals(good.peerId(), a.connections().get(0).remotePeer());
    String goAwayProtocolError = "000300000000000000000001";
    waitFor(() -> HexFormat.of().formatHex(received.getBytes()).contains(goAwayProtocolError));
    assertEquals(
        Buffer.buffer("ok"),
        await(c.newStream(List.of(ECHO)).compose(s -> EchoOnce.send(s, new byte[] {'o', 'k'}))));
    waitFor(() -> a.resources().usage().connections() == 1);
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    Poll.until(condition);
  }
}
