package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus metrics at Kubo's path: repo, peers, wants and per-command HTTP latencies. */
class MetricsTest {
  @TempDir Path temp;

  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private String base() {
    return RunningDaemon.apiUrl(daemon);
  }

  private HttpResponse<String> send(String method, String path, String body, String type)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String text, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    assertTrue(
        m.find(),
        series + " missing from\n" + text.lines().filter(l -> l.startsWith("tally_")).toList());
    return Double.parseDouble(m.group(1));
  }

  @Test
  void prometheusTextCountsBlocksPinsAndRequestsPerCommand() throws Exception {
    daemon =
        Daemon.start(
            Repo.init(temp.resolve("repo"), RepoConfig.testProfile()),
            "test",
            HttpLimits.defaults());
    String boundary = "xyz";
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nhello\r\n--"
            + boundary
            + "--\r\n";
    for (int i = 0; i < 2; i++) {
      assertEquals(
          200,
          send("POST", "/api/v0/add", body, "multipart/form-data; boundary=" + boundary)
              .statusCode());
    }
    assertEquals(404, send("POST", "/api/v0/no/such/command", null, null).statusCode());
    HttpResponse<String> scrape = send("GET", "/debug/metrics/prometheus", null, null);
    assertEquals(200, scrape.statusCode());
    assertTrue(
        scrape
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("text/plain; version=0.0.4"));
    String text = scrape.body();
    assertEquals(1.0, value(text, "tally_blockstore_blocks"));
    assertEquals(1.0, value(text, "tally_pins{type=\"recursive\"}"));
    assertEquals(0.0, value(text, "tally_swarm_peers"));
    // Both uploads gave their bytes back to the API's upload budget.
    assertEquals(0.0, value(text, "tally_http_upload_buffered_bytes{server=\"api\"}"));
    assertEquals(
        (double) HttpLimits.defaults().uploadBudget(),
        value(text, "tally_http_upload_budget_bytes{server=\"api\"}"));
    assertEquals(0.0, value(text, "tally_bitswap_wants"));
    assertEquals(
        2.0,
        value(
            text,
            "tally_http_server_requests_seconds_count{route=\"add\",server=\"api\",status=\"200\"}"));
    // Unknown commands share one route name, so a scanner cannot blow up the series count.
    assertEquals(
        1.0,
        value(
            text,
            "tally_http_server_requests_seconds_count{route=\"other\",server=\"api\",status=\"404\"}"));
    assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");
  }

  @Test
  void gatewayFileBytesSentBySendfileAreCountedAndTheirDescriptorsClosed() throws Exception {
    daemon =
        Daemon.start(
            Repo.init(temp.resolve("repo"), RepoConfig.testProfile()),
            "test",
            HttpLimits.defaults());
    byte[] data = new byte[600_000]; // several leaves under one root
    new java.util.Random(5).nextBytes(data);
    String boundary = "xyz";
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    body.writeBytes(data);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
    HttpResponse<String> added =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v0/add"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, added.statusCode());
    Matcher hash = Pattern.compile("\"Hash\":\"([^\"]+)\"").matcher(added.body());
    assertTrue(hash.find(), added.body());
    String gateway =
        "http://127.0.0.1:" + daemon.gatewayAddress().toString().split("/")[4] + "/ipfs/";
    HttpResponse<byte[]> got =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway + hash.group(1))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, got.statusCode());
    org.junit.jupiter.api.Assertions.assertArrayEquals(data, got.body());
    // The walk counts its regions, and the descriptors close, once the socket took the last one:
    // a moment after the client has every byte.
    String text = send("GET", "/debug/metrics/prometheus", null, null).body();
    for (int i = 0;
        i < 100
            && (value(text, "tally_gateway_sendfile_descriptors") != 0.0
                || value(text, "tally_gateway_sendfile_bytes_total") != data.length);
        i++) {
      Thread.sleep(50);
      text = send("GET", "/debug/metrics/prometheus", null, null).body();
    }
    // Every leaf went out from the packs; the root holds no data of its own.
    assertEquals((double) data.length, value(text, "tally_gateway_sendfile_bytes_total"));
    assertEquals(0.0, value(text, "tally_gateway_sendfile_descriptors"));
  }
}
