package dev.tally.net.host;

import static dev.tally.net.testing.Hosts.p2p;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.ConnectionState;
import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inlined muxer negotiation over real Noise handshakes: Yamux agreed inside the handshake when both
 * hosts announce it, multistream-select when one announces nothing. (The same against js-libp2p,
 * which announces its muxers, is in the integration tests.)
 */
class EarlyMuxerNegotiationTest {
  private static final String ECHO = "/tally/echo/1.0.0";
  private static final ConnectionState INLINED =
      new ConnectionState("/noise", BasicHost.YAMUX, true);
  private static final ConnectionState NEGOTIATED =
      new ConnectionState("/noise", BasicHost.YAMUX, false);

  private final Vertx vertx = Vertx.vertx();
  private final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (BasicHost h : hosts) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private BasicHost host(int seed, List<String> announcedMuxers) throws Exception {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(s);
    BasicHost h =
        BasicHost.create(
            vertx, key, new NoiseProtocol(vertx, key, announcedMuxers), HostOptions.defaults());
    h.setHandler(ECHO, EarlyMuxerNegotiationTest::echo);
    h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).await(10, TimeUnit.SECONDS);
    hosts.add(h);
    return h;
  }

  private static void echo(Stream s) {
    s.handler(s::write);
    s.endHandler(v -> s.end());
  }

  private static String echoOnce(Connection c, String text) throws Exception {
    Stream s = c.newStream(List.of(ECHO)).await(10, TimeUnit.SECONDS);
    Promise<String> back = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> back.tryComplete(acc.toString()));
    s.exceptionHandler(back::tryFail);
    s.write(Buffer.buffer(text));
    s.end();
    return back.future().await(10, TimeUnit.SECONDS);
  }

  private static Connection only(BasicHost h) {
    List<Connection> all = h.connections();
    assertEquals(1, all.size(), "connections of " + h.peerId());
    return all.get(0);
  }

  @Test
  void agreesOnYamuxInsideTheNoiseHandshakeWhenBothAnnounceIt() throws Exception {
    BasicHost listener = host(21, List.of(BasicHost.YAMUX));
    BasicHost dialer = host(22, List.of(BasicHost.YAMUX));
    Connection out = dialer.dial(p2p(listener)).await(10, TimeUnit.SECONDS);
    assertEquals(INLINED, out.state());
    assertEquals("inlined", echoOnce(out, "inlined"));
    assertEquals(INLINED, only(listener).state());
    assertEquals("back", echoOnce(only(listener), "back"));
  }

  @Test
  void fallsBackToMultistreamWhenTheListenerAnnouncesNoMuxer() throws Exception {
    BasicHost listener = host(23, List.of());
    BasicHost dialer = host(24, List.of(BasicHost.YAMUX));
    Connection out = dialer.dial(p2p(listener)).await(10, TimeUnit.SECONDS);
    assertEquals(NEGOTIATED, out.state());
    assertEquals("fallback", echoOnce(out, "fallback"));
    assertEquals(NEGOTIATED, only(listener).state());
  }

  @Test
  void fallsBackToMultistreamWhenTheDialerAnnouncesNoMuxer() throws Exception {
    BasicHost listener = host(25, List.of(BasicHost.YAMUX));
    BasicHost dialer = host(26, List.of());
    Connection out = dialer.dial(p2p(listener)).await(10, TimeUnit.SECONDS);
    assertEquals(NEGOTIATED, out.state());
    assertEquals("fallback", echoOnce(out, "fallback"));
    assertEquals(NEGOTIATED, only(listener).state());
  }

  @Test
  void fallsBackToMultistreamWhenNoAnnouncedMuxerIsShared() throws Exception {
    BasicHost listener = host(27, List.of("/mplex/6.7.0"));
    BasicHost dialer = host(28, List.of(BasicHost.YAMUX));
    Connection out = dialer.dial(p2p(listener)).await(10, TimeUnit.SECONDS);
    assertEquals(NEGOTIATED, out.state());
    assertEquals("no common muxer", echoOnce(out, "no common muxer"));
  }

  @Test
  void dialsManyInlinedConnectionsInParallel() throws Exception {
    BasicHost listener = host(29, List.of(BasicHost.YAMUX));
    List<Future<Connection>> dials = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      dials.add(host(40 + i, List.of(BasicHost.YAMUX)).dial(p2p(listener)));
    }
    Future.all(dials).await(20, TimeUnit.SECONDS);
    for (Future<Connection> f : dials) {
      assertEquals(INLINED, f.result().state());
      assertEquals("ok", echoOnce(f.result(), "ok"));
    }
  }
}
