package dev.tally.cli;

import static dev.tally.cli.ConfiguredDaemon.await;
import static dev.tally.cli.ConfiguredDaemon.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.exchange.dag.DagClient;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.dag.DagSummary;
import dev.tally.exchange.message.FrameDecoder;
import dev.tally.exchange.message.MessageCodec;
import dev.tally.exchange.message.MessageLimits;
import dev.tally.exchange.message.ProtocolVersion;
import dev.tally.exchange.message.WantEntry;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Bitswap client's, the {@code /tally/dag} protocol's and the host's peer and negotiation
 * limits set with {@code tally config} (ADR 038) are the ones a daemon runs with against real
 * peers: each test changes a few keys and watches the daemon behave by the new values, where the
 * built-in ones would behave visibly otherwise.
 */
class ProtocolLimitsConfigTest {
  @RegisterExtension final ConfiguredDaemon node = new ConfiguredDaemon();
  private final Cli cli = node.cli;

  /** A raw CID of a block no one has. */
  private static Cid absent(Random random) {
    byte[] digest = new byte[32];
    random.nextBytes(digest);
    return Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, digest));
  }

  @Test
  void aFetchKeepsTheConfiguredWantsOutAsksAgainAndGivesUpOnTime() throws Exception {
    node.config(
        "Internal.Bitswap.MaxLiveWantsPerSession", "3",
        "Internal.Bitswap.WantReaskDelay", "500ms",
        "Internal.Bitswap.WantTimeout", "4s",
        "Internal.Bitswap.MaxBlocksInFlightPerFetch", "32",
        "Internal.Bitswap.MaxBlocksPerFetch", "5000");
    node.refused(
        "Internal.Bitswap.WantTimeout",
        "10ms",
        "'Internal.Bitswap.WantTimeout' must be between 1s and 1h");
    node.start();
    ExchangeOptions exchange = node.daemon().network().exchange().options();
    assertEquals(32, exchange.dagParallelism());
    assertEquals(5000, exchange.maxDagBlocks());

    // A peer that takes wants and never answers: every want it sees stays live at the daemon.
    Map<Cid, Integer> asked = silentPeer(11, 4 << 20, size -> {});
    // A root the daemon holds, linking 20 blocks it lacks: pinning it fetches all 20.
    Random random = new Random(38);
    JsonArray links = new JsonArray();
    for (int i = 0; i < 20; i++) {
      links.add(new JsonObject().put("/", absent(random).toString()));
    }
    byte[] root = new JsonObject().put("links", links).encode().getBytes(StandardCharsets.UTF_8);
    String rootCid = ok(cli.runWithInput(root, "dag", "put")).strip();
    CompletableFuture<Cli.Result> pin =
        CompletableFuture.supplyAsync(() -> cli.run("pin", "add", rootCid));

    // The session sends its live wants in one message per turn, so the first seen are all there.
    Poll.until(() -> !asked.isEmpty());
    Thread.sleep(200);
    assertEquals(3, asked.size(), "blocks wanted of the peer at once: " + asked.keySet());

    Cli.Result pinned = pin.get(30, TimeUnit.SECONDS);
    assertNotEquals(0, pinned.code());
    assertTrue(pinned.stderr().contains("within 4000 ms"), pinned.stderr());
    // Unanswered for 500 ms, each live want was asked again before the 4 s deadline (the
    // built-in delay, 5 s, is past it).
    assertTrue(asked.values().stream().anyMatch(n -> n >= 2), "wants never asked again: " + asked);
  }

  @Test
  void wantsBeyondTheSmallestMessageSizeAreSplitIntoMessagesThatFit() throws Exception {
    // The smallest message size, with as many wants out at once as one want message holds (512).
    node.config(
        "Internal.Bitswap.MaxBlockSize", "65536",
        "Internal.Bitswap.TargetMessageSize", "65536",
        "Internal.Bitswap.MaxMessageSize", "131072",
        "Internal.Bitswap.MaxCidLength", "512",
        "Internal.Bitswap.MaxLiveWantsPerSession", "600",
        "Internal.Bitswap.MaxBlocksInFlightPerFetch", "600",
        "Internal.Bitswap.WantTimeout", "3s");
    node.start();

    // A peer that reads at most that size, as the daemon does, and never answers.
    int limit = 131_072;
    int[] largest = {0};
    Map<Cid, Integer> asked =
        silentPeer(14, limit, size -> largest[0] = Math.max(largest[0], size));
    // A root linking 600 blocks named by the longest CIDs a multihash allows (BLAKE3 with a
    // 256-byte digest, 261 bytes each): 512 wants of them take about 140 KB, over 128 KiB.
    Random random = new Random(45);
    JsonArray links = new JsonArray();
    for (int i = 0; i < 600; i++) {
      byte[] digest = new byte[256];
      random.nextBytes(digest);
      links.add(
          new JsonObject()
              .put(
                  "/", Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.BLAKE3, digest)).toString()));
    }
    byte[] root = new JsonObject().put("links", links).encode().getBytes(StandardCharsets.UTF_8);
    String rootCid = ok(cli.runWithInput(root, "dag", "put")).strip();
    CompletableFuture<Cli.Result> pin =
        CompletableFuture.supplyAsync(() -> cli.run("pin", "add", rootCid));

    // Before the wants were split, the first 512 failed to encode and only 88 reached the peer.
    Poll.until(() -> asked.size() >= 600);
    assertEquals(600, asked.size());
    assertTrue(largest[0] <= limit, "a message of " + largest[0] + " bytes");
    assertTrue(largest[0] > limit / 2, "wants should fill a message, largest " + largest[0]);
    assertNotEquals(0, pin.get(30, TimeUnit.SECONDS).code());
  }

  @Test
  void aDagResponseStopsAtTheConfiguredBlockLimitAndRequestsNamingTooManyRootsAreRefused()
      throws Exception {
    node.config(
        "Internal.Dag.MaxBlocksPerResponse", "3",
        "Internal.Dag.MaxRoots", "1",
        "Internal.Dag.MaxConcurrentResponses", "4",
        "Internal.Dag.FetchWithPeers", "false");
    node.refused(
        "Internal.Dag.CreditWindow", "1024", "'Internal.Dag.CreditWindow' must be between");
    node.start();
    DagOptions dag = node.daemon().network().exchange().options().dag();
    assertEquals(4, dag.maxServing());
    assertFalse(dag.fetchWithPeers());

    // 6,000 bytes in 1,024-byte chunks: a root and six leaves.
    byte[] data = new byte[6000];
    new Random(38).nextBytes(data);
    String root = ok(cli.runWithInput(data, "add", "-Q", "--chunker", "size-1024")).strip();
    String other = ok(cli.runWithInput(new byte[] {1, 2, 3}, "add", "-Q")).strip();

    BasicHost peer = node.connectedPeer(12);
    PeerId daemon = node.daemon().repo().peerId();
    DagClient client =
        new DagClient(
            node.vertx,
            node.vertx.getOrCreateContext(),
            peer,
            DagOptions.defaults(),
            MessageLimits.DEFAULT_MAX_BLOCK_SIZE);
    MemoryBlockstore store = new MemoryBlockstore();
    DagSummary summary =
        await(
            client.fetchInto(
                daemon, client.requestFor(List.of(Cid.parse(root)), List.of()), store, b -> {}));
    assertEquals(3, summary.blocks(), "blocks in the response");
    assertFalse(summary.complete(), "the response should name what it left out");

    Throwable refused =
        assertThrows(
            AssertionError.class,
            () ->
                await(
                    client.fetchInto(
                        daemon,
                        client.requestFor(List.of(Cid.parse(root), Cid.parse(other)), List.of()),
                        store,
                        b -> {})));
    assertTrue(
        String.valueOf(refused.getCause()).contains("at most 1 allowed"),
        String.valueOf(refused.getCause()));
  }

  @Test
  void theDaemonKeepsTheConfiguredAddressesPerPeerAndDropsSilentOrWanderingNegotiations()
      throws Exception {
    node.config(
        "Swarm.PeerStore.MaxAddrsPerPeer", "2",
        "Swarm.Negotiation.Timeout", "1s",
        "Swarm.Negotiation.MaxProposals", "2",
        "Swarm.Identify.MaxMessageSize", "4096",
        "Swarm.PeerStore.MaxPeers", "300");
    node.refused(
        "Swarm.PeerStore.MaxPeers",
        "10",
        "'Swarm.PeerStore.MaxPeers' must be between 256 and 10000000"
            + " (at least Swarm.ResourceMgr.Limits.System.Conns)");
    node.start();
    HostOptions host = node.daemon().network().host().options();
    assertEquals(4096, host.identifyMaxMessageSize());
    assertEquals(300, host.maxPeers());

    // A peer listening on four addresses announces them all through identify.
    BasicHost peer =
        node.connectedPeer(
            13,
            p -> {
              for (int i = 0; i < 4; i++) {
                await(p.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
              }
            });
    JsonObject[] id = {new JsonObject()};
    Poll.until(
        () -> {
          Cli.Result r = cli.run("id", peer.peerId().toString());
          id[0] = r.code() == 0 ? new JsonObject(r.stdout()) : id[0];
          return !id[0].getJsonArray("Protocols", new JsonArray()).isEmpty();
        });
    assertEquals(2, id[0].getJsonArray("Addresses").size(), "addresses kept: " + id[0]);

    int port = Integer.parseInt(node.daemon().swarmAddresses().get(0).toString().split("/")[4]);
    // A connection that never speaks is closed when the negotiation time runs out.
    try (Socket silent = new Socket("127.0.0.1", port)) {
      silent.setSoTimeout(8_000);
      readToEnd(silent.getInputStream());
    }
    // One that proposes protocols the daemon lacks gets "na" as often as allowed, then is closed.
    try (Socket wandering = new Socket("127.0.0.1", port)) {
      wandering.setSoTimeout(8_000);
      OutputStream out = wandering.getOutputStream();
      out.write(message("/multistream/1.0.0"));
      for (int i = 0; i < 5; i++) {
        out.write(message("/no-such-protocol/" + i));
      }
      out.flush();
      String answer = new String(readToEnd(wandering.getInputStream()), StandardCharsets.UTF_8);
      assertEquals(2, answer.split("na\n", -1).length - 1, "answers: " + answer);
    }
  }

  @Test
  void anAddressThatFailedIsLeftForTheConfiguredBackOff() throws Exception {
    node.config(
        "Swarm.DialBackoff.Base",
        "2s",
        "Swarm.DialBackoff.Coef",
        "0s",
        "Swarm.DialBackoff.Max",
        "2s");
    node.refused("Swarm.DialBackoff.Max", "1s", "'Swarm.DialBackoff.Max' (1s) must be at least");
    node.start();
    // A port just closed refuses connections.
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    byte[] seed = new byte[32];
    seed[0] = 99;
    String nowhere =
        "/ip4/127.0.0.1/tcp/"
            + port
            + "/p2p/"
            + Ed25519PrivateKey.fromSeed(seed).publicKey().peerId();
    assertNotEquals(0, cli.run("swarm", "connect", nowhere).code());
    // Within 2 s of the failure the address is not dialled (built-in: 5 s + 1 s after one failure).
    Cli.Result again = cli.run("swarm", "connect", nowhere);
    Matcher left = Pattern.compile("backing off for another (\\d+) ms").matcher(again.stderr());
    assertTrue(left.find(), again.stderr());
    assertTrue(Long.parseLong(left.group(1)) <= 2000, again.stderr());
    // After it, the address is dialled again, and fails for itself.
    Thread.sleep(2500);
    Cli.Result later = cli.run("swarm", "connect", nowhere);
    assertNotEquals(0, later.code());
    assertFalse(later.stderr().contains("backing off"), later.stderr());
  }

  @Test
  void aDialNoOneAnswersFailsAfterTheConfiguredTcpTimeout() throws Exception {
    node.config(
        "Swarm.Tcp.DialTimeout", "1s",
        "Swarm.Tcp.NoDelay", "true",
        "Swarm.Tcp.WriteQueueMaxSize", "262144",
        "Swarm.Tcp.ReadMaxSize", "65536");
    node.refused(
        "Swarm.Tcp.ReadMaxSize", "1024", "'Swarm.Tcp.ReadMaxSize' must be between 16384 and");
    node.refused("Swarm.Tcp.DialTimeout", "10ms", "'Swarm.Tcp.DialTimeout' must be between 1s");
    node.start();
    assertEquals(
        new TcpOptions(Duration.ofSeconds(1), true, 262_144, 65_536),
        node.daemon().network().host().options().tcp());
    // A listener whose accept queue is full: the kernel drops further SYNs, so a connect to it
    // is never answered and only the dial timeout ends it.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 16; i++) {
          Socket s = new Socket();
          try {
            s.connect(full.getLocalSocketAddress(), 500);
            queued.add(s);
          } catch (SocketTimeoutException e) {
            s.close();
            break;
          }
        }
        byte[] seed = new byte[32];
        seed[0] = 98;
        String silent =
            "/ip4/127.0.0.1/tcp/"
                + full.getLocalPort()
                + "/p2p/"
                + Ed25519PrivateKey.fromSeed(seed).publicKey().peerId();
        long start = System.nanoTime();
        Cli.Result r = cli.run("swarm", "connect", silent);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertNotEquals(0, r.code());
        // Built-in: 10 s.
        assertTrue(millis < 6_000, "the dial took " + millis + " ms: " + r.stderr());
        assertTrue(r.stderr().contains("timed out"), r.stderr());
      } finally {
        for (Socket s : queued) {
          s.close();
        }
      }
    }
  }

  /**
   * A peer connected to the daemon that reads its Bitswap messages (at most {@code limit} bytes
   * each, or the frame decoder fails) and never answers; returns how often each CID was wanted.
   */
  private Map<Cid, Integer> silentPeer(int seed, int limit, IntConsumer messageSize) {
    Map<Cid, Integer> asked = new ConcurrentHashMap<>();
    MessageCodec codec = new MessageCodec(new MessageLimits(limit, 65_536, 4096));
    node.connectedPeer(
        seed,
        peer ->
            peer.setHandler(
                ProtocolVersion.V1_2_0.id(),
                in -> {
                  FrameDecoder frames = new FrameDecoder(limit);
                  in.handler(
                      b -> {
                        frames.feed(b);
                        for (var f = frames.next(); f.isPresent(); f = frames.next()) {
                          messageSize.accept(f.get().length);
                          for (WantEntry w : codec.decode(f.get()).wants()) {
                            if (!w.cancel()) {
                              asked.merge(w.cid(), 1, Integer::sum);
                            }
                          }
                        }
                      });
                  in.resume();
                }));
    return asked;
  }

  /** A multistream-select message: uvarint length (under 128 here), text, newline. */
  private static byte[] message(String text) {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) body.length;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /**
   * Everything the daemon sends until it closes the connection; fails if it is still open when the
   * socket's read timeout passes (the built-in negotiation timeout is 10 s).
   */
  private static byte[] readToEnd(InputStream in) throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        got.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the daemon kept the connection open for 8 s; got " + got, e);
    } catch (SocketException e) {
      // A reset is a close too.
    }
    return got.toByteArray();
  }
}
