package dev.tally.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.ConnectionState;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.host.NoiseProtocol;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Inlined muxer negotiation against js-libp2p 3, whose Noise announces its muxers in the handshake:
 * a Tally host that announces Yamux skips the multistream round trip with it in both directions,
 * and one that announces nothing falls back to multistream-select, which js-libp2p then runs too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsLibp2pMuxerNegotiationTest {
  private static final String ECHO = "/tally/echo/1.0.0";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Vertx vertx;
  private BasicHost inlining;
  private BasicHost silent;
  private JsLibp2pPeer js;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    inlining = host(31, List.of(BasicHost.YAMUX));
    silent = host(32, List.of());
    byte[] jsSeed = new byte[32];
    jsSeed[31] = 33;
    js = JsLibp2pPeer.start(jsSeed);
  }

  private BasicHost host(int seedByte, List<String> muxers) throws Exception {
    byte[] seed = new byte[32];
    seed[31] = (byte) seedByte;
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
    BasicHost h =
        BasicHost.create(vertx, key, new NoiseProtocol(vertx, key, muxers), HostOptions.defaults());
    h.setHandler(
        ECHO,
        s -> {
          s.handler(s::write);
          s.endHandler(v -> s.end());
        });
    h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).await(10, TimeUnit.SECONDS);
    return h;
  }

  @AfterAll
  void stop() throws Exception {
    if (js != null) {
      js.close();
    }
    for (BasicHost h : new BasicHost[] {inlining, silent}) {
      if (h != null) {
        h.close().await(10, TimeUnit.SECONDS);
      }
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String echo(Connection c, String text) throws Exception {
    Stream s = c.newStream(List.of(ECHO)).await(WAIT.toSeconds(), TimeUnit.SECONDS);
    Promise<String> back = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> back.tryComplete(acc.toString()));
    s.exceptionHandler(back::tryFail);
    s.write(Buffer.buffer(text));
    s.end();
    return back.future().await(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private Connection connectionFrom(BasicHost h) {
    return h.connections().stream()
        .filter(c -> c.remotePeer().equals(js.peerId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connection from the js peer"));
  }

  private void jsEchoes(BasicHost h) throws Exception {
    Multiaddr addr = h.listenAddresses().get(0).encapsulate("/p2p/" + h.peerId());
    JsonObject r =
        js.command(
            new JsonObject()
                .put("cmd", "echo")
                .put("addr", addr.toString())
                .put("streams", 4)
                .put("size", 100_000),
            WAIT);
    assertEquals(4, r.getInteger("echoed"));
  }

  @Test
  void tallyDialsJsAndTheyAgreeOnYamuxInsideNoise() throws Exception {
    Connection c = inlining.dial(js.address).await(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(new ConnectionState("/noise", "/yamux/1.0.0", true), c.state());
    assertEquals("inlined", echo(c, "inlined"));
  }

  @Test
  void jsDialsTallyAndTheyAgreeOnYamuxInsideNoise() throws Exception {
    jsEchoes(inlining);
    assertEquals(
        new ConnectionState("/noise", "/yamux/1.0.0", true), connectionFrom(inlining).state());
  }

  @Test
  void tallyAnnouncingNoMuxerDialsJsWithMultistreamSelect() throws Exception {
    Connection c = silent.dial(js.address).await(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(new ConnectionState("/noise", "/yamux/1.0.0", false), c.state());
    assertEquals("negotiated", echo(c, "negotiated"));
  }

  @Test
  void jsDialsTallyAnnouncingNoMuxerWithMultistreamSelect() throws Exception {
    jsEchoes(silent);
    assertEquals(
        new ConnectionState("/noise", "/yamux/1.0.0", false), connectionFrom(silent).state());
  }
}
