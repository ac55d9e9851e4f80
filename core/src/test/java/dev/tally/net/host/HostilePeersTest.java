package dev.tally.net.host;

import static dev.tally.net.testing.Hosts.p2p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.Duplex;
import dev.tally.net.Stream;
import dev.tally.net.multistream.MultistreamSelect;
import dev.tally.net.noise.NoiseOptions;
import dev.tally.net.noise.NoiseSecurity;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.tcp.TcpTransport;
import dev.tally.net.testing.EchoOnce;
import dev.tally.net.testing.RawSocket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real host (TCP, Noise, Yamux) under attack by raw-socket peers — slowloris trickling one byte a
 * second into multistream-select and into the Noise handshake, garbage, a 1 GiB length claim, an
 * authenticated peer flooding 10,000 SYNs with data and then overrunning a window — while a
 * well-behaved peer keeps echoing through it. Each attacker is cut off with a logged reason, and
 * the heap in use (after a full GC) stays within an explicit bound of its level before the attack.
 */
class HostilePeersTest {
  /** Heap the attacks may add while they run: 256 accepted streams' queued data and framing. */
  private static final long ATTACK_HEAP_LIMIT = 64L << 20;

  /** Heap left over once the attackers are gone. */
  private static final long AFTER_HEAP_LIMIT = 16L << 20;

  private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(2);
  private static final String ECHO = "/tally/echo/1.0.0";

  private final Vertx vertx = Vertx.vertx();
  private final ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
  private final Logger netLogger = Logger.getLogger("dev.tally.net");
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
          logged.add(r.getLoggerName() + ": " + formatter.formatMessage(r));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private BasicHost target;
  private BasicHost good;
  private Connection goodConnection;

  @BeforeEach
  void start() throws Exception {
    netLogger.addHandler(capture);
    target = host(1, HostOptions.defaults().withNegotiationTimeout(NEGOTIATION_TIMEOUT));
    target.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).await(10, TimeUnit.SECONDS);
    good = host(2, HostOptions.defaults());
    goodConnection = await(good.dial(p2p(target)));
    assertGoodPeerIsServed();
  }

  @AfterEach
  void stop() throws Exception {
    netLogger.removeHandler(capture);
    good.close().await(10, TimeUnit.SECONDS);
    target.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private BasicHost host(int seed, HostOptions options) {
    byte[] s = new byte[32];
    s[0] = (byte) (100 + seed);
    BasicHost h = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(s), options);
    h.setHandler(
        ECHO,
        st -> {
          st.handler(st::write);
          st.endHandler(v -> st.end());
        });
    return h;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private void assertGoodPeerIsServed() throws Exception {
    byte[] data = new byte[256 * 1024];
    new Random(7).nextBytes(data);
    Stream s = await(goodConnection.newStream(List.of(ECHO)));
    assertEquals(Buffer.buffer(data), await(EchoOnce.send(s, data)));
  }

  private static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void assertHeapWithin(long baseline, long limit, String when) {
    long grown = usedHeapAfterGc() - baseline;
    assertTrue(
        grown < limit,
        "heap grew by " + (grown >> 20) + " MiB " + when + ", limit " + (limit >> 20) + " MiB");
  }

  private void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
      Thread.sleep(20);
    }
  }

  private boolean loggedContaining(String text) {
    return logged.stream().anyMatch(m -> m.contains(text));
  }

  /** A raw TCP connection to the target whose close the test can watch. */
  private record Raw(NetSocket socket, Future<Void> closed, long openedNanos) {}

  private Raw raw(NetClient client) throws Exception {
    Multiaddr a = target.listenAddresses().get(0);
    int port = Integer.parseInt(a.components().get(1).value());
    // Taken before the connect: the target's timeout starts when it accepts, so the time from
    // here to the close is never shorter than the timeout, however late this thread wakes.
    long opened = System.nanoTime();
    // Its close handler is set before the target can close it (RawSocket says why).
    RawSocket socket = await(RawSocket.connect(vertx, client, port));
    return new Raw(socket.socket, socket.closed(), opened);
  }

  /** Writes {@code bytes} one a second, until the peer closes the socket. */
  private void trickle(Raw raw, Buffer bytes) {
    int[] next = {0};
    vertx.setPeriodic(
        0,
        1000,
        id -> {
          if (raw.closed().isComplete() || next[0] >= bytes.length()) {
            vertx.cancelTimer(id);
            return;
          }
          raw.socket().write(bytes.slice(next[0], next[0] + 1));
          next[0]++;
        });
  }

  private static Buffer multistream(String... messages) {
    Buffer b = Buffer.buffer();
    for (String m : messages) {
      byte[] text = (m + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      b.appendByte((byte) text.length).appendBytes(text);
    }
    return b;
  }

  @Test
  void slowlorisPeersAreClosedByTheNegotiationTimeoutsWhileAGoodPeerIsServed() throws Exception {
    long baseline = usedHeapAfterGc();
    NetClient client = vertx.createNetClient();
    List<Raw> inMultistream = new ArrayList<>();
    List<Raw> inNoise = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Raw r = raw(client);
      trickle(r, multistream("/multistream/1.0.0", "/noise"));
      inMultistream.add(r);
    }
    for (int i = 0; i < 20; i++) {
      Raw r = raw(client);
      // A complete multistream exchange, then the Noise handshake's first message one byte a
      // second.
      r.socket().write(multistream("/multistream/1.0.0", "/noise"));
      Buffer noise = Buffer.buffer().appendUnsignedShort(32).appendBytes(new byte[32]);
      vertx.setTimer(500, t -> trickle(r, noise));
      inNoise.add(r);
    }
    assertGoodPeerIsServed();
    assertHeapWithin(baseline, ATTACK_HEAP_LIMIT, "with 40 slowloris peers connected");
    for (Raw r : inMultistream) {
      await(r.closed());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.openedNanos());
      assertTrue(millis >= NEGOTIATION_TIMEOUT.toMillis() - 100, "closed after " + millis + " ms");
    }
    for (Raw r : inNoise) {
      await(r.closed());
    }
    waitFor(
        () -> loggedContaining("multistream negotiation timed out after 2000 ms"),
        "the multistream timeout logged");
    waitFor(
        () -> loggedContaining("Noise handshake timed out after 2000 ms"),
        "the Noise handshake timeout logged");
    assertGoodPeerIsServed();
    waitFor(() -> target.resources().usage().connections() == 1, "attackers' slots released");
    assertHeapWithin(baseline, AFTER_HEAP_LIMIT, "after the slowloris peers were closed");
    client.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void garbageAndHugeLengthClaimsAreCutOffWithBoundedHeap() throws Exception {
    long baseline = usedHeapAfterGc();
    NetClient client = vertx.createNetClient();
    List<Raw> attackers = new ArrayList<>();
    byte[] garbage = new byte[64 * 1024];
    new Random(3).nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    for (int i = 0; i < 10; i++) {
      Raw r = raw(client);
      r.socket().write(Buffer.buffer(garbage));
      attackers.add(r);
    }
    for (int i = 0; i < 10; i++) {
      Raw r = raw(client);
      // A varint length of 1 GiB, then bytes as if that message were coming.
      r.socket().write(Buffer.buffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}));
      r.socket().write(Buffer.buffer(new byte[60_000]));
      attackers.add(r);
    }
    for (Raw r : attackers) {
      await(r.closed());
    }
    assertGoodPeerIsServed();
    waitFor(() -> target.resources().usage().connections() == 1, "attackers' slots released");
    assertTrue(loggedContaining("MultistreamSelect"), "a logged reason: " + logged);
    assertHeapWithin(baseline, AFTER_HEAP_LIMIT, "after garbage and 1 GiB length claims");
  }

  @Test
  void authenticatedSynFloodAndWindowOverrunAreCutOffWithBoundedHeap() throws Exception {
    long baseline = usedHeapAfterGc();
    byte[] seed = new byte[32];
    seed[0] = 66;
    NoiseSecurity noise =
        new NoiseSecurity(
            vertx,
            Ed25519PrivateKey.fromSeed(seed),
            NoiseOptions.DEFAULTS.withStreamMuxers(List.of(BasicHost.YAMUX)));
    TcpTransport tcp = new TcpTransport(vertx, TcpOptions.DEFAULTS);
    Buffer received = Buffer.buffer();
    Promise<Duplex> secured = Promise.promise();
    // Real Noise with Yamux agreed inside the handshake; from then on, raw Yamux frames.
    vertx.runOnContext(
        v ->
            tcp.dial(target.listenAddresses().get(0))
                .compose(raw -> MultistreamSelect.select(vertx, raw, List.of("/noise")))
                .compose(n -> noise.secureOutbound(n.duplex(), Optional.of(target.peerId())))
                .<Duplex>map(
                    c -> {
                      c.duplex().handler(received::appendBuffer);
                      c.duplex().resume();
                      return c.duplex();
                    })
                .onComplete(secured));
    Duplex muxed = await(secured.future());
    byte[] payload = new byte[4 * 1024];
    new Random(4).nextBytes(payload);
    for (int batch = 0; batch < 10; batch++) {
      Buffer flood = Buffer.buffer();
      for (int i = 0; i < 1_000; i++) {
        int id = 2 * (batch * 1_000 + i) + 1;
        flood.appendBuffer(YamuxFrames.frame(1, 1, id, 0, Buffer.buffer()));
        flood.appendBuffer(YamuxFrames.frame(0, 0, id, payload.length, Buffer.buffer(payload)));
      }
      // Awaited batch by batch, so what the heap holds is the target's, not the attacker's queue.
      await(muxed.write(flood));
    }
    assertGoodPeerIsServed();
    assertHeapWithin(baseline, ATTACK_HEAP_LIMIT, "under a flood of 10,000 SYNs with data");
    // Then data far beyond the window on a fresh stream: a protocol error closes the connection.
    muxed.write(YamuxFrames.frame(1, 1, 30_001, 0, Buffer.buffer()));
    muxed.write(YamuxFrames.frame(0, 0, 30_001, 300 * 1024, Buffer.buffer(new byte[300 * 1024])));
    await(muxed.closeFuture());
    waitFor(() -> loggedContaining("Yamux protocol error"), "the protocol error logged");
    assertGoodPeerIsServed();
    waitFor(() -> target.resources().usage().connections() == 1, "the flooder's slot released");
    waitFor(() -> target.resources().usage().streams() <= 2, "the flooder's streams released");
    assertHeapWithin(baseline, AFTER_HEAP_LIMIT, "after the flooder was cut off");
    tcp.close().await(10, TimeUnit.SECONDS);
  }
}
