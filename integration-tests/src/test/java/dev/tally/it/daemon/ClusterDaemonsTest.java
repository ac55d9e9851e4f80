package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's "done means": three daemons form a cluster through their RPC APIs, a file pinned on
 * one shows as pinned on its allocated peers, and survives the loss of one of them. The cluster log
 * travels between daemons by their log replication ({@code /tally/log/1.0.0}), the file by Bitswap.
 */
class ClusterDaemonsTest {
  @TempDir Path temp;

  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() {
    daemons.forEach(Daemon::stop);
  }

  private Daemon start(String name) {
    Multiaddr ephemeral = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    Repo repo =
        Repo.init(
            temp.resolve(name),
            RepoConfig.defaults()
                .withAddresses(ephemeral, ephemeral)
                .withSwarm(List.of(ephemeral)));
    Daemon d = Daemon.start(repo, "it", HttpLimits.defaults());
    daemons.add(d);
    return d;
  }

  private static String url(Daemon d) {
    String[] parts = d.apiAddress().toString().split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  private static String id(Daemon d) {
    return d.repo().peerId().toString();
  }

  private HttpResponse<byte[]> rpc(Daemon d, String command, Map<String, String> params)
      throws IOException, InterruptedException {
    StringBuilder query = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      query.append(query.length() == 0 ? "?" : "&");
      query.append(e.getKey()).append('=');
      query.append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url(d) + "/api/v0/" + command + query))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonObject json(Daemon d, String command, Map<String, String> params)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = rpc(d, command, params);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(200, response.statusCode(), command + ": " + body);
    return new JsonObject(body);
  }

  private JsonObject json(Daemon d, String command, String arg)
      throws IOException, InterruptedException {
    return json(d, command, arg.isEmpty() ? Map.of() : Map.of("arg", arg));
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void waitFor(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.holds()) {
      assertTrue(System.nanoTime() < deadline, what + " within 60 s");
      Thread.sleep(100);
    }
  }

  /** Peer id → status of {@code cid} as {@code d} reports it. */
  private Map<String, String> status(Daemon d, String cid) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    HttpResponse<byte[]> r = rpc(d, "cluster/status", Map.of("arg", cid));
    if (r.statusCode() != 200) {
      return out; // the pin has not reached d's replica yet
    }
    JsonArray peers =
        new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonArray("Peers");
    for (int i = 0; i < peers.size(); i++) {
      JsonObject p = peers.getJsonObject(i);
      out.put(p.getString("Peer"), p.getString("Status"));
    }
    return out;
  }

  private static boolean allPinned(Map<String, String> status, int n) {
    return status.size() == n && status.values().stream().allMatch("pinned"::equals);
  }

  @Test
  void threeDaemonsFormAClusterPinOnTheirAllocatedPeersAndSurviveLosingOne() throws Exception {
    Daemon a = start("a");
    Daemon b = start("b");
    Daemon c = start("c");
    String swarmA = json(a, "id", "").getJsonArray("Addresses").getString(0);
    String swarmB = json(b, "id", "").getJsonArray("Addresses").getString(0);
    json(b, "swarm/connect", swarmA);
    json(c, "swarm/connect", swarmA);
    json(c, "swarm/connect", swarmB);

    String cluster =
        json(
                a,
                "cluster/create",
                Map.of("arg", "team", "heartbeat-interval", "300ms", "down-after", "3s"))
            .getString("Id");
    json(a, "cluster/admit", id(b));
    assertEquals(cluster, json(b, "cluster/join", cluster).getString("Id"));
    // b, a member but not the creator, admits c once its replica holds its own admission.
    waitFor(
        "b sees itself admitted",
        () -> rpc(b, "cluster/admit", Map.of("arg", id(c))).statusCode() == 200);
    assertEquals(cluster, json(c, "cluster/join", cluster).getString("Id"));
    for (Daemon d : List.of(a, b, c)) {
      waitFor(
          "three live members seen by " + id(d),
          () -> {
            JsonArray peers = json(d, "cluster/peers", "").getJsonArray("Peers");
            return peers.size() == 3
                && peers.stream().allMatch(p -> ((JsonObject) p).getBoolean("Live"));
          });
    }

    byte[] data = new byte[1_500_000];
    new SplittableRandom(10).nextBytes(data);
    HttpResponse<String> added = RpcUpload.post(url(a), "add?pin=false", "data.bin", data);
    assertEquals(200, added.statusCode(), added.body());
    String cid =
        new JsonObject(added.body().lines().reduce((x, y) -> y).orElseThrow()).getString("Hash");
    JsonObject pinned =
        json(
            a,
            "cluster/pin/add",
            Map.of("arg", cid, "replication-min", "2", "replication-max", "2", "name", "data"));
    List<String> allocated = new ArrayList<>();
    pinned.getJsonArray("Allocations").forEach(p -> allocated.add((String) p));
    assertEquals(2, allocated.size(), pinned.encode());

    for (Daemon d : List.of(a, b, c)) {
      waitFor(
          "both allocated peers pinned, as " + id(d) + " sees it",
          () -> allPinned(status(d, cid), 2));
      assertEquals(allocated, List.copyOf(status(d, cid).keySet()));
    }
    for (Daemon d : List.of(a, b, c)) {
      boolean holds = allocated.contains(id(d));
      HttpResponse<byte[]> ls = rpc(d, "pin/ls", Map.of("arg", cid, "type", "recursive"));
      assertEquals(holds ? 200 : 500, ls.statusCode(), id(d) + " pins it iff allocated");
    }

    // Lose one allocated peer (the adder, if allocated: the data must come from the other).
    Daemon lost =
        allocated.contains(id(a))
            ? a
            : daemons.stream().filter(d -> allocated.contains(id(d))).findFirst().orElseThrow();
    List<Daemon> survivors = new ArrayList<>(List.of(a, b, c));
    survivors.remove(lost);
    lost.stop();
    daemons.remove(lost);
    Daemon observer = survivors.get(0);
    waitFor(
        "the pin re-allocated to both survivors and pinned",
        () -> {
          Map<String, String> s = status(observer, cid);
          return allPinned(s, 2) && !s.containsKey(id(lost));
        });
    for (Daemon d : survivors) {
      HttpResponse<byte[]> ls = rpc(d, "pin/ls", Map.of("arg", cid, "type", "recursive"));
      assertEquals(200, ls.statusCode(), id(d) + " pins it");
      HttpResponse<byte[]> cat = rpc(d, "cat", Map.of("arg", cid));
      assertEquals(200, cat.statusCode());
      assertArrayEquals(data, cat.body(), "the file is intact on " + id(d));
    }
  }
}
