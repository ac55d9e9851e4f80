package dev.tally.it.daemon;

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
import java.util.concurrent.TimeUnit;

/**
 * In-process daemons on loopback with ephemeral ports, the RPC calls tests make on them, and a
 * cluster formed of them through those calls (create on the first, admit and join the others).
 * {@link #close} stops every daemon still running.
 */
final class ClusterDaemons implements AutoCloseable {
  private final Path temp;
  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  ClusterDaemons(Path temp) {
    this.temp = temp;
  }

  Daemon start(String name) {
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

  /** Stops {@code d} (as losing the peer) and forgets it. */
  void stop(Daemon d) {
    d.stop();
    daemons.remove(d);
  }

  /** Stops {@code d} and starts a daemon again on the same repo. */
  Daemon restart(Daemon d) {
    Path dir = d.repo().dir();
    stop(d);
    Daemon again = Daemon.start(Repo.open(dir), "it", HttpLimits.defaults());
    daemons.add(again);
    return again;
  }

  @Override
  public void close() {
    daemons.forEach(Daemon::stop);
    daemons.clear();
  }

  static String url(Daemon d) {
    String[] parts = d.apiAddress().toString().split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  static String id(Daemon d) {
    return d.repo().peerId().toString();
  }

  HttpResponse<byte[]> rpc(Daemon d, String command, Map<String, String> params)
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

  JsonObject json(Daemon d, String command, Map<String, String> params)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = rpc(d, command, params);
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(200, response.statusCode(), command + ": " + body);
    return new JsonObject(body);
  }

  JsonObject json(Daemon d, String command, String arg) throws IOException, InterruptedException {
    return json(d, command, arg.isEmpty() ? Map.of() : Map.of("arg", arg));
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static void waitFor(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!check.holds()) {
      assertTrue(System.nanoTime() < deadline, what + " within 60 s");
      Thread.sleep(100);
    }
  }

  /**
   * Connects every daemon to the ones before it, creates a cluster on the first (heartbeat 300 ms,
   * down after 3 s), has each member admit the next, which joins, and waits until each sees all of
   * them live.
   *
   * @return the cluster id
   */
  String formCluster(List<Daemon> members) throws Exception {
    for (int i = 1; i < members.size(); i++) {
      for (int j = 0; j < i; j++) {
        String swarm = json(members.get(j), "id", "").getJsonArray("Addresses").getString(0);
        json(members.get(i), "swarm/connect", swarm);
      }
    }
    Daemon first = members.get(0);
    String cluster =
        json(
                first,
                "cluster/create",
                Map.of("arg", "team", "heartbeat-interval", "300ms", "down-after", "3s"))
            .getString("Id");
    for (int i = 1; i < members.size(); i++) {
      // Any member admits: each newcomer is admitted by the one before it, once that one's
      // replica holds its own admission (the first, the creator, admits the second at once).
      Daemon admitter = members.get(i - 1);
      Daemon newcomer = members.get(i);
      waitFor(
          id(admitter) + " admits " + id(newcomer),
          () -> rpc(admitter, "cluster/admit", Map.of("arg", id(newcomer))).statusCode() == 200);
      assertEquals(cluster, json(newcomer, "cluster/join", cluster).getString("Id"));
    }
    for (Daemon d : members) {
      waitFor(
          members.size() + " live members seen by " + id(d),
          () -> {
            JsonArray peers = json(d, "cluster/peers", "").getJsonArray("Peers");
            return peers.size() == members.size()
                && peers.stream().allMatch(p -> ((JsonObject) p).getBoolean("Live"));
          });
    }
    return cluster;
  }

  /** Peer id → status of {@code cid} as {@code d} reports it (empty before the pin reaches it). */
  Map<String, String> status(Daemon d, String cid) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    HttpResponse<byte[]> r = rpc(d, "cluster/status", Map.of("arg", cid));
    if (r.statusCode() != 200) {
      return out;
    }
    JsonArray peers =
        new JsonObject(new String(r.body(), StandardCharsets.UTF_8)).getJsonArray("Peers");
    for (int i = 0; i < peers.size(); i++) {
      JsonObject p = peers.getJsonObject(i);
      out.put(p.getString("Peer"), p.getString("Status"));
    }
    return out;
  }

  /** Whether {@code d} holds a recursive pin of {@code cid}. */
  boolean pinsRecursively(Daemon d, String cid) throws Exception {
    return rpc(d, "pin/ls", Map.of("arg", cid, "type", "recursive")).statusCode() == 200;
  }
}
