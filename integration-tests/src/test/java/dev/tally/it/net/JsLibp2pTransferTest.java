package dev.tally.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.Stream;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.testing.EchoOnce;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bulk and concurrent transfers between Tally and js-libp2p 3: 1 GiB each way with SHA-256 checked
 * by the receiver, 1,000 concurrent echo streams, and a js node killed mid-transfer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsLibp2pTransferTest {
  private static final String ECHO = "/tally/echo/1.0.0";
  private static final String SINK = "/tally/sink/1.0.0";
  private static final long GIB = 1L << 30;
  private static final Duration WAIT = Duration.ofMinutes(3);

  private Vertx vertx;
  private BasicHost tally;
  private JsLibp2pPeer js;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    byte[] seed = new byte[32];
    seed[31] = 21;
    HostOptions options =
        HostOptions.defaults().withYamux(HostOptions.defaults().yamux().withMaxStreams(2048));
    tally = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(seed), options);
    tally.setHandler(ECHO, JsLibp2pTransferTest::echo);
    tally.setHandler(SINK, JsLibp2pTransferTest::sink);
    tally.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).await(10, TimeUnit.SECONDS);
    byte[] jsSeed = new byte[32];
    jsSeed[31] = 22;
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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

  /** Hashes everything received, then answers {"bytes":n,"sha256":hex} as the js sink does. */
  private static void sink(Stream s) {
    MessageDigest md = sha256();
    long[] n = {0};
    s.handler(
        b -> {
          md.update(b.getBytes());
          n[0] += b.length();
        });
    s.endHandler(
        v -> {
          JsonObject answer =
              new JsonObject()
                  .put("bytes", n[0])
                  .put("sha256", HexFormat.of().formatHex(md.digest()));
          s.write(Buffer.buffer(answer.encode()));
          s.end();
        });
    s.resume();
  }

  /** Writes {@code size} random bytes respecting back-pressure; completes with the reply. */
  private static Future<Buffer> source(Stream s, long size, MessageDigest md, long[] sent) {
    Promise<Buffer> reply = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> reply.tryComplete(acc));
    s.exceptionHandler(reply::tryFail);
    SplittableRandom random = new SplittableRandom(size);
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (sent[0] < size && !s.writeQueueFull()) {
            byte[] chunk = new byte[(int) Math.min(64 * 1024, size - sent[0])];
            random.nextBytes(chunk);
            md.update(chunk);
            sent[0] += chunk.length;
            s.write(Buffer.buffer(chunk)).onFailure(reply::tryFail);
          }
          if (sent[0] < size) {
            s.drainHandler(v -> pump[0].run());
          } else {
            s.end();
          }
        };
    pump[0].run();
    return reply.future();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void oneGibibyteFromTallyToJsArrivesIntact() throws Exception {
    MessageDigest md = sha256();
    long start = System.nanoTime();
    Buffer reply =
        await(
            tally
                .dial(js.address)
                .compose(c -> c.newStream(List.of(SINK)))
                .compose(s -> source(s, GIB, md, new long[1])));
    double seconds = (System.nanoTime() - start) / 1e9;
    JsonObject answer = new JsonObject(reply.toString());
    assertEquals(GIB, answer.getLong("bytes"));
    assertEquals(HexFormat.of().formatHex(md.digest()), answer.getString("sha256"));
    System.out.printf("Tally -> js-libp2p, 1 GiB on one stream: %.0f MB/s%n", GIB / seconds / 1e6);
  }

  @Test
  void oneGibibyteFromJsToTallyArrivesIntact() throws Exception {
    Multiaddr addr = tally.listenAddresses().get(0).encapsulate("/p2p/" + tally.peerId());
    JsonObject result =
        js.command(
            new JsonObject().put("cmd", "source").put("addr", addr.toString()).put("size", GIB),
            WAIT);
    JsonObject reply = result.getJsonObject("reply");
    assertEquals(GIB, reply.getLong("bytes"));
    assertEquals(result.getString("sha256"), reply.getString("sha256"));
    System.out.printf(
        "js-libp2p -> Tally, 1 GiB on one stream: %.0f MB/s%n",
        GIB / (result.getDouble("millis") / 1e3) / 1e6);
  }

  @Test
  void aThousandConcurrentStreamsEcho64KiBEachBothWays() throws Exception {
    Connection c = js.dialFrom(tally, WAIT);
    byte[] data = new byte[64 * 1024];
    new Random(23).nextBytes(data);
    List<Future<Buffer>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(c.newStream(List.of(ECHO)).compose(s -> EchoOnce.send(s, data)));
    }
    await(Future.all(all));
    for (Future<Buffer> f : all) {
      assertEquals(Buffer.buffer(data), f.result());
    }
    Multiaddr addr = tally.listenAddresses().get(0).encapsulate("/p2p/" + tally.peerId());
    JsonObject result =
        js.command(
            new JsonObject()
                .put("cmd", "echo")
                .put("addr", addr.toString())
                .put("streams", 1000)
                .put("size", 64 * 1024),
            WAIT);
    assertEquals(1000, result.getInteger("echoed"));
  }

  @Test
  void aJsNodeKilledMidTransferLeavesNoConnectionOrStreamBehind() throws Exception {
    byte[] seed = new byte[32];
    seed[31] = 24;
    try (JsLibp2pPeer victim = JsLibp2pPeer.start(seed)) {
      Connection c = await(tally.dial(victim.address));
      long[] sent = {0};
      Future<Buffer> transfer =
          c.newStream(List.of(SINK)).compose(s -> source(s, GIB, sha256(), sent));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sent[0] < 32L * 1024 * 1024 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(sent[0] >= 32L * 1024 * 1024, "transfer started: " + sent[0]);
      victim.kill();
      Throwable failure = await(transfer.transform(ar -> Future.succeededFuture(ar.cause())));
      assertTrue(failure != null, "the transfer failed when its peer died");
      await(c.closeFuture());
      assertEquals(0, c.streamCount());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (tally.connections().stream().anyMatch(x -> x.remotePeer().equals(victim.peerId))
          && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertTrue(
          tally.connections().stream().noneMatch(x -> x.remotePeer().equals(victim.peerId)),
          "the dead peer's connection was released");
    }
  }
}
