package dev.tally.node;

import static dev.tally.node.TestDags.leaf;
import static dev.tally.node.TestDags.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.ForwardingBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.daemon.Daemon;
import dev.tally.daemon.RunningDaemon;
import dev.tally.exchange.Bitswap;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.exchange.dag.DagProtocol;
import dev.tally.exchange.server.ServerOptions;
import dev.tally.http.HttpLimits;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.net.PeerInfo;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way a daemon pins content only a peer holds fetches it under a GC lease (ADR 029): the peer
 * serves the root and the first half of the leaves, then holds the rest back while the test runs
 * {@code repo gc} on the pinning daemon; the blocks already fetched survive the collection, and
 * once the peer serves the rest the pin completes with the whole DAG.
 */
class PinFetchUnderGcTest {
  private static final int LEAVES = 16;

  @TempDir Path temp;

  private final HttpClient http = HttpClient.newHttpClient();
  private Daemon daemon;
  private Vertx peerVertx;
  private BasicHost peerHost;
  private GatedStore peerStore;

  @AfterEach
  void stop() throws Exception {
    if (peerStore != null) {
      peerStore.release.countDown();
    }
    if (daemon != null) {
      daemon.stop();
    }
    if (peerHost != null) {
      peerHost.close().await(10, TimeUnit.SECONDS);
    }
    if (peerVertx != null) {
      peerVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** How the pin is asked for. */
  enum Way {
    RPC_PIN_ADD,
    RPC_PIN_ADD_WITH_PROGRESS,
    RPC_PIN_UPDATE,
    PINNING_SERVICE,
    CLUSTER_TRACKER
  }

  @ParameterizedTest
  @EnumSource(Way.class)
  void aGcDuringTheFetchKeepsTheFetchedBlocksAndThePinCompletesWhole(Way way) throws Exception {
    Random r = new Random(29);
    List<Block> leaves = new ArrayList<>();
    for (int i = 0; i < LEAVES; i++) {
      leaves.add(leaf(r, 64 * 1024));
    }
    Block root = node(leaves);
    List<Block> late = leaves.subList(LEAVES / 2, LEAVES);
    startPeer(
        Stream.concat(Stream.of(root), leaves.stream()).toList(),
        late.stream().map(b -> b.cid().multihash()).collect(Collectors.toSet()));
    startDaemonConnectedToThePeer();

    Supplier<Boolean> pinned = pin(way, root.cid());

    // The peer is now holding back the second half; what it sent is stored and pinned by nothing.
    assertTrue(peerStore.reached.await(30, TimeUnit.SECONDS), "the fetch reached the held blocks");
    waitUntil(
        () -> "the root and a first leaf fetched (peer served " + peerStore.served + ")",
        () -> held(root, leaves).size() >= 2);
    List<Cid> fetched = held(root, leaves);
    HttpResponse<String> gc = rpc("repo/gc", List.of());
    assertEquals(200, gc.statusCode(), gc.body());
    List<Cid> after = held(root, leaves);
    assertTrue(
        after.containsAll(fetched),
        "repo gc during the fetch deleted fetched blocks: held " + fetched + ", then " + after);

    peerStore.release.countDown();
    waitUntil("the pin", pinned);
    Blockstore blocks = daemon.repo().blocks();
    assertTrue(blocks.has(root.cid()));
    for (Block b : leaves) {
      assertTrue(blocks.has(b.cid()), "leaf " + b.cid() + " stored");
    }
    assertEquals(
        Optional.of(PinType.RECURSIVE),
        daemon.repo().pins().status(List.of(root.cid())).get(root.cid()).type());
    assertTrue(daemon.repo().pins().verify(false, v -> {}), "pin verify");
  }

  @Test
  void aDirectPinThroughTheDaemonFetchesTheBlockOnlyAPeerHolds() throws Exception {
    Block only = leaf(new Random(30), 1000);
    startPeer(List.of(only), Set.of());
    startDaemonConnectedToThePeer();
    HttpResponse<String> r = rpc("pin/add", List.of(only.cid().toString()), "&recursive=false");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(daemon.repo().blocks().has(only.cid()));
    assertEquals(
        Optional.of(PinType.DIRECT),
        daemon.repo().pins().status(List.of(only.cid())).get(only.cid()).type());
  }

  private void startDaemonConnectedToThePeer() throws Exception {
    daemon =
        Daemon.start(
            Repo.init(temp.resolve("node"), RepoConfig.testProfile()),
            "test",
            HttpLimits.defaults());
    daemon
        .network()
        .host()
        .dial(peerHost.listenAddresses().get(0).encapsulate("/p2p/" + peerHost.peerId()))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    // Once identified as a /tally/dag/1.0.0 peer, the fetch asks for the leaves in DAG requests in
    // link order, two at a time, and a held leaf holds up only its own request. Over Bitswap alone
    // the peer answers one batch at a time, so a held leaf asked for first would hold up the rest.
    waitUntil(
        "the peer identified",
        () ->
            daemon
                .network()
                .host()
                .peerStore()
                .get(peerHost.peerId())
                .map(PeerInfo::protocols)
                .map(p -> p.contains(DagProtocol.ID))
                .orElse(false));
  }

  /** Starts asking for the pin; the supplier answers whether it is made (failing if it failed). */
  private Supplier<Boolean> pin(Way way, Cid root) throws Exception {
    String cid = root.toString();
    switch (way) {
      case RPC_PIN_ADD, RPC_PIN_ADD_WITH_PROGRESS -> {
        CompletableFuture<HttpResponse<String>> answer =
            rpcAsync("pin/add", List.of(cid), way == Way.RPC_PIN_ADD ? "" : "&progress=true");
        return () -> answered(answer, "\"Pins\":[\"" + cid + "\"]");
      }
      case RPC_PIN_UPDATE -> {
        Block from = leaf(new Random(31), 500);
        daemon.repo().blocks().put(from);
        daemon.repo().pins().add(from.cid(), true, "");
        CompletableFuture<HttpResponse<String>> answer =
            rpcAsync("pin/update", List.of(from.cid().toString(), cid), "");
        return () -> answered(answer, cid);
      }
      case PINNING_SERVICE -> {
        HttpResponse<String> created =
            http.send(
                pinsRequest("/pins")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            new JsonObject().put("cid", cid).encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, created.statusCode(), created.body());
        String id = new JsonObject(created.body()).getString("requestid");
        return () -> {
          try {
            HttpResponse<String> s =
                http.send(
                    pinsRequest("/pins/" + id).GET().build(), HttpResponse.BodyHandlers.ofString());
            String status = new JsonObject(s.body()).getString("status");
            assertTrue(!status.equals("failed"), s.body());
            return status.equals("pinned");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
      }
      case CLUSTER_TRACKER -> {
        // The tracker's local pins, as the daemon wires them for a cluster it is a member of.
        RepoClusterPins pins =
            new RepoClusterPins(
                daemon.repo().pins(),
                daemon.repo().leases(),
                new FetchingBlockstore(daemon.repo().blocks(), daemon.network()),
                daemon.repo()::stat,
                root);
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> pins.pin(root, "file"));
        return () -> {
          if (!done.isDone()) {
            return false;
          }
          done.join();
          return true;
        };
      }
      default -> throw new AssertionError(way);
    }
  }

  private static boolean answered(CompletableFuture<HttpResponse<String>> answer, String expect) {
    if (!answer.isDone()) {
      return false;
    }
    HttpResponse<String> r = answer.join();
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains(expect), r.body());
    assertTrue(!r.body().contains("\"Type\":\"error\""), r.body());
    return true;
  }

  private List<Cid> held(Block root, List<Block> leaves) {
    List<Cid> out = new ArrayList<>();
    for (Block b : Stream.concat(Stream.of(root), leaves.stream()).toList()) {
      if (daemon.repo().blocks().has(b.cid())) {
        out.add(b.cid());
      }
    }
    return out;
  }

  private void startPeer(List<Block> blocks, Set<Multihash> heldBack) throws Exception {
    peerVertx = Vertx.vertx();
    byte[] seed = new byte[32];
    seed[0] = 29;
    peerHost =
        BasicHost.create(peerVertx, Ed25519PrivateKey.fromSeed(seed), HostOptions.defaults());
    await(peerHost.listen(dev.tally.multiformats.Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    peerStore = new GatedStore(new MemoryBlockstore(), heldBack);
    peerStore.store.putAll(blocks);
    // More reads at once, for one peer and in all, than the DAG has leaves: a held block never
    // holds back the others waiting for a read slot.
    ServerOptions d = ServerOptions.defaults();
    ServerOptions oneAtATime =
        new ServerOptions(
            d.maxWantlistEntries(),
            4 * LEAVES,
            4 * LEAVES,
            d.targetMessageBytes(),
            d.inlineHaveLimit());
    await(
        Bitswap.start(
            peerVertx, peerHost, peerStore, ExchangeOptions.defaults().withServer(oneAtATime)));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private String api() {
    return RunningDaemon.apiUrl(daemon);
  }

  private HttpRequest.Builder pinsRequest(String path) {
    return HttpRequest.newBuilder(URI.create(api() + path))
        .header("Authorization", "Bearer alice-token");
  }

  private HttpRequest rpcRequest(String command, List<String> args, String options) {
    String query =
        args.stream()
            .map(a -> "arg=" + URLEncoder.encode(a, StandardCharsets.UTF_8))
            .collect(Collectors.joining("&", "?", ""));
    return HttpRequest.newBuilder(URI.create(api() + "/api/v0/" + command + query + options))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  private HttpResponse<String> rpc(String command, List<String> args) throws Exception {
    return rpc(command, args, "");
  }

  private HttpResponse<String> rpc(String command, List<String> args, String options)
      throws Exception {
    return http.send(rpcRequest(command, args, options), HttpResponse.BodyHandlers.ofString());
  }

  private CompletableFuture<HttpResponse<String>> rpcAsync(
      String command, List<String> args, String options) {
    return http.sendAsync(rpcRequest(command, args, options), HttpResponse.BodyHandlers.ofString());
  }

  private static void waitUntil(String what, Supplier<Boolean> check) throws Exception {
    waitUntil(() -> what, check);
  }

  private static void waitUntil(Supplier<String> what, Supplier<Boolean> check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.get()) {
      assertTrue(System.nanoTime() < deadline, () -> what.get() + " within 60 s");
      Thread.sleep(20);
    }
  }

  /** The peer's blocks: reading a held-back one waits until the test releases them. */
  private static final class GatedStore extends ForwardingBlockstore {
    final MemoryBlockstore store;
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** What reads answered, in order, for failure messages. */
    final List<String> served = java.util.Collections.synchronizedList(new ArrayList<>());

    private final Set<Multihash> heldBack;

    GatedStore(MemoryBlockstore store, Set<Multihash> heldBack) {
      super(store);
      this.store = store;
      this.heldBack = heldBack;
    }

    @Override
    public Optional<Block> get(Cid cid) {
      if (heldBack.contains(cid.multihash())) {
        reached.countDown();
        try {
          if (!release.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("held block never released: " + cid);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      Optional<Block> b = super.get(cid);
      served.add(cid + (b.isPresent() ? "" : " (absent)"));
      return b;
    }
  }
}
