package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons replicate a log through their RPC APIs only: created on one, joined by the other
 * (manifest over Bitswap, entries over /tally/log/1.0.0), appended on both, streamed by {@code
 * log/subscribe}, verified on both, and still in step after one restarts.
 */
class TwoDaemonsLogTest {
  @TempDir Path temp;

  private final List<Daemon> daemons = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stopAll() {
    daemons.forEach(Daemon::stop);
  }

  private Daemon start(String name) {
    Path dir = temp.resolve(name);
    Repo repo = Repo.exists(dir) ? Repo.open(dir) : Repo.init(dir, RepoConfig.testProfile());
    Daemon d = Daemon.start(repo, "it", HttpLimits.defaults());
    daemons.add(d);
    return d;
  }

  private static String url(Daemon d) {
    String[] parts = d.apiAddress().toString().split("/");
    return "http://" + parts[2] + ":" + parts[4];
  }

  private static String query(List<Map.Entry<String, String>> params) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      q.append(q.length() == 0 ? '?' : '&')
          .append(p.getKey())
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private JsonObject json(Daemon d, String command, List<Map.Entry<String, String>> params)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url(d) + "/api/v0/" + command + query(params)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), command + ": " + r.body());
    return new JsonObject(r.body());
  }

  private JsonObject json(Daemon d, String command, String arg)
      throws IOException, InterruptedException {
    return json(d, command, List.of(Map.entry("arg", arg)));
  }

  private String append(Daemon d, String log, String recordJson) throws Exception {
    HttpResponse<String> r =
        RpcUpload.post(
            url(d),
            "log/append?arg=" + URLEncoder.encode(log, StandardCharsets.UTF_8),
            "record.json",
            recordJson.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("Cid");
  }

  private static void eventually(BooleanSupplier condition, String what) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private JsonObject status(Daemon d, String log) {
    try {
      return json(d, "log/status", log);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aLogCreatedOnOneDaemonIsJoinedAppendedOnBothAndVerifiedOnBoth() throws Exception {
    Daemon a = start("a");
    Daemon b = start("b");
    String bId = b.repo().peerId().toString();
    String log =
        json(a, "log/create", List.of(Map.entry("arg", "loans"), Map.entry("arg", bId)))
            .getString("Log");
    String e1 = append(a, log, "{\"kind\":\"Note\",\"text\":\"one\"}");
    append(a, log, "{\"kind\":\"Note\",\"text\":\"two\"}");

    String swarmA = a.swarmAddresses().get(0) + "/p2p/" + a.repo().peerId();
    JsonObject joined =
        json(b, "log/join", List.of(Map.entry("arg", log), Map.entry("peer", swarmA)));
    assertEquals("loans", joined.getString("Name"));
    eventually(() -> status(b, log).getLong("Count") == 2, "b holds a's two entries");
    assertEquals(status(a, log).getJsonArray("Heads"), status(b, log).getJsonArray("Heads"));

    // A subscriber on a sees b's append arrive, verified, as one ndjson line.
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(16);
    HttpResponse<InputStream> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(url(a) + "/api/v0/log/subscribe?arg=" + log))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the test ends the stream by stopping the daemon
              }
            });
    reader.setDaemon(true);
    reader.start();
    String e3 = append(b, log, "{\"kind\":\"Note\",\"text\":\"from b\"}");
    String line = lines.poll(60, TimeUnit.SECONDS);
    assertTrue(line != null, "no entry arrived on a's subscription");
    JsonObject entry = new JsonObject(line);
    assertEquals(e3, entry.getString("Cid"));
    assertEquals(bId, entry.getString("Author"));
    assertEquals("from b", entry.getJsonObject("Record").getString("text"));
    eventually(() -> status(a, log).getLong("Count") == 3, "a holds b's entry");

    for (Daemon d : List.of(a, b)) {
      JsonObject v = json(d, "log/verify", log);
      assertTrue(v.getBoolean("Ok"), v.encode());
      assertEquals(3, v.getLong("Count"));
      assertEquals(status(a, log).getJsonArray("Heads"), v.getJsonArray("Heads"));
    }
    assertEquals(2, status(b, log).getLong("Verified"), "b verified the two entries it received");

    // b restarts: it still holds the log and catches up with what a appended meanwhile.
    b.stop();
    daemons.remove(b);
    append(a, log, "{\"kind\":\"Note\",\"text\":\"while b was down\"}");
    Daemon b2 = start("b");
    json(b2, "swarm/connect", swarmA);
    eventually(() -> status(b2, log).getLong("Count") == 4, "b caught up after its restart");
    assertEquals(status(a, log).getJsonArray("Heads"), status(b2, log).getJsonArray("Heads"));
    assertTrue(
        new String(
                http.send(
                        HttpRequest.newBuilder(URI.create(url(b2) + "/api/v0/log/ls?arg=" + log))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                    .body(),
                StandardCharsets.UTF_8)
            .startsWith("{\"Cid\":\"" + e1 + "\""),
        "log/ls starts with the first entry");
  }

  @Test
  void aThirdDaemonStartsFromAFinalCheckpointAndAnswersBeforeItsHistoryArrives() throws Exception {
    Daemon a = start("a");
    Daemon b = start("b");
    String bId = b.repo().peerId().toString();
    // Two signers, a and b: a checkpoint is final once both signed it.
    String log =
        json(a, "log/create", List.of(Map.entry("arg", "loans"), Map.entry("arg", bId)))
            .getString("Log");
    for (int i = 0; i < 3; i++) {
      append(a, log, "{\"kind\":\"Note\",\"n\":" + i + "}");
    }
    String swarmA = a.swarmAddresses().get(0) + "/p2p/" + a.repo().peerId();
    json(b, "log/join", List.of(Map.entry("arg", log), Map.entry("peer", swarmA)));
    eventually(() -> status(b, log).getLong("Count") == 3, "b holds a's entries");
    JsonObject proposed = json(a, "log/checkpoint", log);
    assertEquals("proposed", proposed.getString("Status"));
    assertEquals(3, proposed.getLong("Count"));
    String cp = proposed.getString("Cid");
    eventually(() -> status(b, log).getLong("Count") == 4, "b holds the checkpoint");
    JsonObject endorsed =
        json(b, "log/checkpoint", List.of(Map.entry("arg", log), Map.entry("endorse", cp)));
    assertEquals("final", endorsed.getString("Status"));
    eventually(() -> cp.equals(status(a, log).getString("Final")), "a sees it final");

    HttpResponse<byte[]> bundle =
        http.send(
            HttpRequest.newBuilder(URI.create(url(a) + "/api/v0/log/checkpoint-bundle?arg=" + log))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, bundle.statusCode());

    Daemon c = start("c");
    String joinPath =
        "log/join?arg=" + log + "&peer=" + URLEncoder.encode(swarmA, StandardCharsets.UTF_8);
    byte[] forged = bundle.body().clone();
    forged[forged.length - 7] ^= 1;
    HttpResponse<String> refused = RpcUpload.post(url(c), joinPath, "cp.car", forged);
    assertTrue(refused.statusCode() >= 400, refused.body());
    HttpResponse<String> joined = RpcUpload.post(url(c), joinPath, "cp.car", bundle.body());
    assertEquals(200, joined.statusCode(), joined.body());
    JsonObject from = new JsonObject(joined.body()).getJsonObject("Checkpoint");
    assertEquals(cp, from.getString("Cid"));
    assertEquals(3, from.getLong("Count"));
    assertEquals(2, from.getJsonArray("Signers").size());
    assertEquals(cp, status(c, log).getJsonObject("Checkpoint").getString("Cid"));
    eventually(() -> status(c, log).getLong("Count") == 5, "c holds the whole history");
    JsonObject v = json(c, "log/verify", log);
    assertTrue(v.getBoolean("Ok"), v.encode());
    assertEquals(cp, v.getJsonObject("Final").getString("Cid"));
    assertEquals(status(a, log).getJsonArray("Heads"), status(c, log).getJsonArray("Heads"));
  }
}
