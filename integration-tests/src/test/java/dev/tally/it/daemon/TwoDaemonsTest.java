package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons on loopback with their own repos, driven only through their RPC APIs: one connects to
 * the other, content added on one is read on the other (fetched over Bitswap), and each lists the
 * other among its peers.
 */
class TwoDaemonsTest {
  @TempDir Path temp;

  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() {
    daemons.forEach(Daemon::stop);
  }

  private Daemon start(String name) {
    return start(name, List.of());
  }

  private Daemon start(String name, List<Multiaddr> bootstrap) {
    Repo repo = Repo.init(temp.resolve(name), RepoConfig.testProfile().withBootstrap(bootstrap));
    Daemon d = Daemon.start(repo, "it", HttpLimits.defaults());
    daemons.add(d);
    return d;
  }

  private static String url(Daemon d) {
    String[] parts = d.apiAddress().toString().split("/"); // /ip4/127.0.0.1/tcp/PORT
    return "http://" + parts[2] + ":" + parts[4];
  }

  private HttpResponse<byte[]> rpc(Daemon d, String command, String arg)
      throws IOException, InterruptedException {
    String query = arg.isEmpty() ? "" : "?arg=" + URLEncoder.encode(arg, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url(d) + "/api/v0/" + command + query))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonObject json(Daemon d, String command, String arg)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = rpc(d, command, arg);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(200, response.statusCode(), command + ": " + body);
    return new JsonObject(body);
  }

  private static List<String> peersOf(JsonObject swarmPeers) {
    List<String> out = new ArrayList<>();
    for (Object o : swarmPeers.getJsonArray("Peers")) {
      out.add(((JsonObject) o).getString("Peer"));
    }
    return out;
  }

  @Test
  void contentAddedOnOneDaemonIsCatOnTheOtherOverBitswap() throws Exception {
    Daemon a = start("a");
    Daemon b = start("b");
    String aId = a.repo().peerId().toString();
    String bId = b.repo().peerId().toString();

    JsonObject idA = json(a, "id", "");
    assertEquals(aId, idA.getString("ID"));
    String swarmA = idA.getJsonArray("Addresses").getString(0);
    assertTrue(swarmA.startsWith("/ip4/127.0.0.1/tcp/") && swarmA.endsWith("/p2p/" + aId), swarmA);
    assertTrue(idA.getJsonArray("Protocols").contains("/ipfs/bitswap/1.2.0"), idA.encode());

    JsonObject connected = json(b, "swarm/connect", swarmA);
    assertEquals(
        new JsonArray().add("connect " + aId + " success"), connected.getJsonArray("Strings"));

    byte[] data = new byte[3_000_000]; // several chunks and two levels of links
    new SplittableRandom(7).nextBytes(data);
    HttpResponse<String> added = RpcUpload.post(url(a), "add", "data.bin", data);
    assertEquals(200, added.statusCode(), added.body());
    String cid =
        new JsonObject(added.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");

    HttpResponse<byte[]> cat = rpc(b, "cat", cid);
    assertEquals(200, cat.statusCode(), new String(cat.body(), StandardCharsets.UTF_8));
    assertArrayEquals(data, cat.body());

    assertTrue(peersOf(json(a, "swarm/peers", "")).contains(bId));
    assertTrue(peersOf(json(b, "swarm/peers", "")).contains(aId));

    // The path gateway of B serves a second file only A holds, fetched on demand.
    byte[] other = new byte[400_000];
    new SplittableRandom(8).nextBytes(other);
    HttpResponse<String> added2 = RpcUpload.post(url(a), "add", "other.bin", other);
    String cid2 =
        new JsonObject(added2.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");
    String[] gw = b.gatewayAddress().toString().split("/");
    HttpResponse<byte[]> served =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + gw[2] + ":" + gw[4] + "/ipfs/" + cid2))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, served.statusCode());
    assertArrayEquals(other, served.body());

    // pin add on B of a third file only A holds fetches its whole DAG: B serves it with A gone.
    byte[] third = new byte[1_200_000];
    new SplittableRandom(9).nextBytes(third);
    HttpResponse<String> added3 = RpcUpload.post(url(a), "add", "third.bin", third);
    String cid3 =
        new JsonObject(added3.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");
    assertEquals(new JsonArray().add(cid3), json(b, "pin/add", cid3).getJsonArray("Pins"));
    a.stop();
    HttpResponse<byte[]> offline = rpc(b, "cat", cid3);
    assertEquals(200, offline.statusCode(), new String(offline.body(), StandardCharsets.UTF_8));
    assertArrayEquals(third, offline.body());
  }

  private record Run(int exit, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  /** The CLI in process, as a user runs {@code tally ...} in a shell. */
  private static Run cli(byte[] stdin, String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int exit =
        dev.tally.cli.Main.run(
            args,
            new java.io.ByteArrayInputStream(stdin),
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void cliTalksToTheDaemonHoldingItsRepo() throws Exception {
    Daemon a = start("a");
    Daemon b = start("b");
    String repoA = a.repo().dir().toString();
    String repoB = b.repo().dir().toString();
    String aId = a.repo().peerId().toString();
    String swarmA = a.swarmAddresses().get(0) + "/p2p/" + aId;

    Run connect = cli(new byte[0], "swarm", "connect", swarmA, "--repo", repoB);
    assertEquals(0, connect.exit(), connect.err());
    assertEquals("connect " + aId + " success\n", connect.text());

    Run peers = cli(new byte[0], "swarm", "peers", "--repo", repoB);
    assertEquals(0, peers.exit(), peers.err());
    assertTrue(peers.text().lines().anyMatch(l -> l.endsWith("/p2p/" + aId)), peers.text());

    byte[] data = new byte[700_000];
    new SplittableRandom(11).nextBytes(data);
    Run add = cli(data, "add", "-Q", "--repo", repoA);
    assertEquals(0, add.exit(), add.err());
    String cid = add.text().strip();

    Run cat = cli(new byte[0], "cat", cid, "--repo", repoB);
    assertEquals(0, cat.exit(), cat.err());
    assertArrayEquals(data, cat.out());

    // B's ledger with A counts what A sent; bitswap stat shows it in Kubo's layout.
    Run ledger = cli(new byte[0], "bitswap", "ledger", aId, "--repo", repoB);
    assertEquals(0, ledger.exit(), ledger.err());
    List<String> ledgerLines = ledger.text().lines().toList();
    assertEquals("Ledger for " + aId, ledgerLines.get(0));
    assertEquals("Bytes sent:\t0", ledgerLines.get(3));
    long received = Long.parseLong(ledgerLines.get(4).substring("Bytes received:\t".length()));
    assertTrue(received >= data.length, ledger.text());
    Run stat = cli(new byte[0], "bitswap", "stat", "--repo", repoB);
    assertEquals(0, stat.exit(), stat.err());
    assertTrue(stat.text().startsWith("bitswap status\n\tblocks received: "), stat.text());
    assertTrue(stat.text().contains("\tdata received: " + received + "\n"), stat.text());
    assertTrue(stat.text().contains("\tpartners [1]\n"), stat.text());

    // A holds the file (it added it): B finds A among its connected peers.
    Run findprovs = cli(new byte[0], "routing", "findprovs", cid, "--repo", repoB);
    assertEquals(0, findprovs.exit(), findprovs.err());
    assertEquals(aId + "\n", findprovs.text());
    Run provide = cli(new byte[0], "routing", "provide", cid, "--repo", repoA);
    assertEquals(0, provide.exit(), provide.err());

    Run id = cli(new byte[0], "--api", a.apiAddress().toString(), "id");
    assertEquals(0, id.exit(), id.err());
    assertEquals(aId, new JsonObject(id.text()).getString("ID"));

    Run ping = cli(new byte[0], "ping", "-n", "3", aId, "--repo", repoB);
    assertEquals(0, ping.exit(), ping.err());
    List<String> lines = ping.text().lines().toList();
    assertEquals("PING " + aId + ".", lines.get(0));
    assertEquals(3, lines.stream().filter(l -> l.startsWith("Pong received: time=")).count());
    assertTrue(lines.get(lines.size() - 1).startsWith("Average latency: "), ping.text());
  }

  @Test
  void bootstrapPeersAreDialledAtStartAndDisconnectDropsThem() throws Exception {
    Daemon a = start("a");
    String aId = a.repo().peerId().toString();
    Multiaddr swarmA = a.swarmAddresses().get(0).encapsulate("/p2p/" + aId);
    Daemon b = start("b", List.of(swarmA));
    String bId = b.repo().peerId().toString();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!peersOf(json(b, "swarm/peers", "")).contains(aId)) {
      assertTrue(System.nanoTime() < deadline, "B never connected to its bootstrap peer A");
      Thread.sleep(50);
    }
    assertEquals(
        new JsonArray().add(b.swarmAddresses().get(0).toString()),
        json(b, "swarm/addrs/listen", "").getJsonArray("Strings"));
    assertTrue(json(b, "bitswap/stat", "").getJsonArray("Peers").contains(aId));

    JsonObject dropped = json(b, "swarm/disconnect", swarmA.toString());
    assertEquals(
        new JsonArray().add("disconnect " + aId + " success"), dropped.getJsonArray("Strings"));
    assertFalse(peersOf(json(b, "swarm/peers", "")).contains(aId));
    deadline = System.nanoTime() + 20_000_000_000L;
    while (peersOf(json(a, "swarm/peers", "")).contains(bId)) {
      assertTrue(System.nanoTime() < deadline, "A still lists B after B disconnected");
      Thread.sleep(50);
    }
  }

  @Test
  void onlineCommandsWithoutADaemonSayToStartOne() throws Exception {
    Path repo = temp.resolve("idle");
    Repo.init(repo, RepoConfig.defaults()).close();
    // A daemon that died without removing its api file: nothing listens there any more.
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      Files.writeString(repo.resolve("api"), "/ip4/127.0.0.1/tcp/" + s.getLocalPort());
    }
    Run id = cli(new byte[0], "id", "--repo", repo.toString());
    assertEquals(1, id.exit());
    assertEquals(
        "Error: this command must be run in online mode. Try running 'tally daemon' first.\n",
        id.err());
  }

  @Test
  void apiFileNamesTheRunningDaemonAndIsRemovedAtShutdown() {
    Daemon a = start("a");
    Path apiFile = a.repo().dir().resolve("api");
    assertTrue(Files.exists(apiFile));
    assertEquals(a.apiAddress().toString(), readString(apiFile));
    a.stop();
    assertFalse(Files.exists(apiFile));
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
