package dev.tally.it.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.it.NodeScripts;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.multistream.MultistreamSelect;
import dev.tally.net.multistream.Negotiated;
import dev.tally.net.multistream.ProtocolRegistry;
import dev.tally.net.noise.NoiseOptions;
import dev.tally.net.noise.NoiseSecurity;
import dev.tally.net.noise.SecureChannel;
import dev.tally.net.tcp.TcpListener;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.tcp.TcpTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tally's TCP, multistream-select and Noise against a real js-libp2p 3 node
 * ({@code @chainsafe/libp2p-noise}), both directions. After the Noise handshake each side
 * negotiates {@code /yamux/1.0.0} over the encrypted channel, which only succeeds if both decrypt
 * what the other encrypted. Both peers have fixed identities.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoiseInteropTest {
  private static final byte[] JS_SEED = filled(0x11);
  private static final byte[] TALLY_SEED = filled(0x22);
  private static final List<String> YAMUX = List.of("/yamux/1.0.0");

  private Process js;
  private Writer jsIn;
  private final LinkedBlockingQueue<JsonObject> jsOut = new LinkedBlockingQueue<>();
  private PeerId jsPeer;
  private Multiaddr jsAddr;
  private Vertx vertx;
  private TcpTransport tcp;
  private NoiseSecurity noise;
  private final Ed25519PrivateKey tallyKey = Ed25519PrivateKey.fromSeed(TALLY_SEED);

  private static byte[] filled(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  @BeforeAll
  void start() throws Exception {
    js =
        NodeScripts.command("libp2p-peer.mjs", NodeScripts.hex(JS_SEED))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    jsIn = new OutputStreamWriter(js.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(js.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  jsOut.add(new JsonObject(line));
                }
              } catch (Exception e) {
                // The process ended; tests waiting on output time out with a clear message.
              }
            },
            "js-libp2p-stdout");
    reader.setDaemon(true);
    reader.start();
    JsonObject listening = awaitJs(o -> "listening".equals(o.getString("event")));
    jsPeer = PeerId.parse(listening.getString("peerId"));
    jsAddr = Multiaddr.parse(listening.getJsonArray("addrs").getString(0));
    vertx = Vertx.vertx();
    tcp = new TcpTransport(vertx, TcpOptions.DEFAULTS);
    noise = new NoiseSecurity(vertx, tallyKey, NoiseOptions.DEFAULTS);
  }

  @AfterAll
  void stop() throws Exception {
    if (js != null) {
      js.getOutputStream().close();
      if (!js.waitFor(10, TimeUnit.SECONDS)) {
        js.destroyForcibly();
      }
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private JsonObject awaitJs(java.util.function.Predicate<JsonObject> match) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonObject o = jsOut.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (o == null) {
        throw new TimeoutException("js-libp2p peer printed nothing matching within 30 s");
      }
      if (match.test(o)) {
        return o;
      }
    }
  }

  private void sendJs(JsonObject cmd) throws Exception {
    jsIn.write(cmd.encode() + "\n");
    jsIn.flush();
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    }
  }

  @Test
  void peerIdFromTheSameSeedMatchesJsLibp2p() {
    assertEquals(Ed25519PrivateKey.fromSeed(JS_SEED).publicKey().peerId(), jsPeer);
  }

  @Test
  void tallyDialsJsThroughMultistreamAndNoise() throws Exception {
    SecureChannel channel =
        await(
            tcp.dial(jsAddr)
                .compose(
                    d -> MultistreamSelect.select(vertx, d, List.of(NoiseSecurity.PROTOCOL_ID)))
                .compose(n -> noise.secureOutbound(n.duplex(), Optional.of(jsPeer))));
    assertEquals(jsPeer, channel.remotePeer());
    Negotiated muxer = await(MultistreamSelect.select(vertx, channel.duplex(), YAMUX));
    assertEquals("/yamux/1.0.0", muxer.protocol());
    await(muxer.duplex().close());
  }

  @Test
  void jsDialsTallyThroughMultistreamAndNoise() throws Exception {
    Promise<SecureChannel> secured = Promise.promise();
    Promise<Negotiated> muxer = Promise.promise();
    TcpListener listener =
        await(
            tcp.listen(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                d ->
                    MultistreamSelect.handle(
                            vertx, d, ProtocolRegistry.of(List.of(NoiseSecurity.PROTOCOL_ID)))
                        .compose(n -> noise.secureInbound(n.duplex()))
                        .compose(
                            ch -> {
                              secured.tryComplete(ch);
                              return MultistreamSelect.handle(
                                  vertx, ch.duplex(), ProtocolRegistry.of(YAMUX));
                            })
                        .onComplete(muxer)));
    PeerId tallyPeer = tallyKey.publicKey().peerId();
    String addr = listener.address().encapsulate("/p2p/" + tallyPeer).toString();
    // js-libp2p checks the /p2p id against the key Tally proves in the handshake.
    sendJs(new JsonObject().put("id", 1).put("cmd", "dial").put("addr", addr));
    assertEquals(jsPeer, await(secured.future()).remotePeer());
    Negotiated n = await(muxer.future());
    assertEquals("/yamux/1.0.0", n.protocol());
    await(n.duplex().close());
    await(listener.close());
  }

  @Test
  void jsRefusesTallyWhenTheDialledPeerIdDiffers() throws Exception {
    Promise<Throwable> failed = Promise.promise();
    TcpListener listener =
        await(
            tcp.listen(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                d ->
                    MultistreamSelect.handle(
                            vertx, d, ProtocolRegistry.of(List.of(NoiseSecurity.PROTOCOL_ID)))
                        .compose(n -> noise.secureInbound(n.duplex()))
                        .onComplete(ar -> failed.tryComplete(ar.cause()))));
    PeerId other = Ed25519PrivateKey.fromSeed(filled(0x33)).publicKey().peerId();
    String addr = listener.address().encapsulate("/p2p/" + other).toString();
    sendJs(new JsonObject().put("id", 2).put("cmd", "dial").put("addr", addr));
    JsonObject answer = awaitJs(o -> Integer.valueOf(2).equals(o.getInteger("id")));
    assertFalse(answer.getBoolean("ok"), answer.encode());
    Throwable t = await(failed.future());
    assertTrue(t != null, "Tally's handshake should fail once js-libp2p hangs up");
    await(listener.close());
  }
}
