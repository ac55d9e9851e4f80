package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.http.HttpLimits;
import dev.tally.http.OneFileUpload;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's HTTP behaviour that clients rely on: Kubo's status codes and error bodies, limits.
 */
class DaemonHttpTest {
  private static final String BOUNDARY = "b0undary";

  @TempDir Path temp;

  private Daemon daemon;
  private final HttpClient http = HttpClient.newHttpClient();

  private Daemon start(HttpLimits limits) {
    Repo repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile());
    daemon = Daemon.start(repo, "test", limits);
    return daemon;
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private String api(String command) {
    return "http://127.0.0.1:" + RunningDaemon.api(daemon).getPort() + "/api/v0/" + command;
  }

  private String gateway(String path) {
    return "http://127.0.0.1:" + RunningDaemon.gateway(daemon).getPort() + path;
  }

  private HttpResponse<String> post(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(String url, byte[] data) throws Exception {
    byte[] body = OneFileUpload.body(BOUNDARY, "f", data);
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertKuboError(HttpResponse<String> r, int status, int code, String text) {
    assertEquals(status, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals("error", body.getString("Type"));
    assertEquals(code, body.getInteger("Code"));
    assertTrue(body.getString("Message").contains(text), body.getString("Message"));
  }

  @Test
  void rpcAnswersWithKubosStatusCodesAndErrorBodies() throws Exception {
    start(HttpLimits.defaults());
    assertEquals(405, get(api("version")).statusCode());
    HttpResponse<String> unknown = post(api("no/such/command"));
    assertEquals(404, unknown.statusCode());
    assertEquals("404 page not found", unknown.body().trim());
    assertKuboError(post(api("cat")), 400, 1, "argument \"ipfs-path\" is required");
    assertKuboError(post(api("cat?arg=QmNope")), 500, 0, "QmNope");
    assertKuboError(
        post(api("cat?arg=QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o&offset=ten")),
        400,
        1,
        "offset");
    assertKuboError(
        post(api("block/get?arg=bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4")),
        500,
        0,
        "not found");
    assertKuboError(post(api("add")), 400, 1, "required");
  }

  @Test
  void rpcRefusesCrossOriginBrowserRequests() throws Exception {
    start(HttpLimits.defaults());
    HttpResponse<String> foreign =
        http.send(
            HttpRequest.newBuilder(URI.create(api("id")))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, foreign.statusCode());
    String self = "http://127.0.0.1:" + RunningDaemon.api(daemon).getPort();
    HttpResponse<String> same =
        http.send(
            HttpRequest.newBuilder(URI.create(api("id")))
                .header("Origin", self)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, same.statusCode(), same.body());
  }

  @Test
  void anUploadCutMidFileFailsWithoutStoppingTheDaemon() throws Exception {
    start(new HttpLimits(16, 1, 60, 1 << 20, 8192));
    try (Socket s = new Socket("127.0.0.1", RunningDaemon.api(daemon).getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v0/add HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\n\r\n--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut\"\r\n"
                  + "Content-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
    }
    // The only request slot comes back once the cut upload has failed.
    long deadline = System.nanoTime() + 10_000_000_000L;
    int status;
    do {
      Thread.sleep(100);
      status = post(api("version")).statusCode();
    } while (status != 200 && System.nanoTime() < deadline);
    assertEquals(200, status);
  }

  @Test
  void dagGetWalksPathsThroughMapsListsAndLinks() throws Exception {
    start(HttpLimits.defaults());
    HttpResponse<String> leaf =
        upload(api("dag/put"), "{\"v\":[10,20]}".getBytes(StandardCharsets.UTF_8));
    String leafCid = new JsonObject(leaf.body().trim()).getJsonObject("Cid").getString("/");
    HttpResponse<String> root =
        upload(
            api("dag/put"),
            ("{\"child\":{\"/\":\"" + leafCid + "\"}}").getBytes(StandardCharsets.UTF_8));
    String rootCid = new JsonObject(root.body().trim()).getJsonObject("Cid").getString("/");
    assertEquals("20", post(api("dag/get?arg=" + rootCid + "/child/v/1")).body());
    assertEquals("{\"v\":[10,20]}", post(api("dag/get?arg=/ipfs/" + rootCid + "/child")).body());
    assertKuboError(
        post(api("dag/get?arg=" + rootCid + "/nope")), 500, 0, "no link named \"nope\"");
  }

  @Test
  void dagExportThenImportPinsTheRootAndUnpinnedBlocksCanBeRemoved() throws Exception {
    start(HttpLimits.defaults());
    String hello = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
    upload(api("add?pin=false"), "hello world\n".getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> car =
        http.send(
            HttpRequest.newBuilder(URI.create(api("dag/export?arg=" + hello)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, car.statusCode());
    assertEquals("{\"Hash\":\"" + hello + "\"}", post(api("block/rm?arg=" + hello)).body().trim());
    HttpResponse<String> imported = upload(api("dag/import?stats=true"), car.body());
    assertEquals(200, imported.statusCode(), imported.body());
    List<String> lines = imported.body().lines().toList();
    JsonObject root = new JsonObject(lines.get(0)).getJsonObject("Root");
    assertEquals(hello, root.getJsonObject("Cid").getString("/"));
    assertEquals("", root.getString("PinErrorMsg"));
    assertEquals(1, new JsonObject(lines.get(1)).getJsonObject("Stats").getInteger("BlockCount"));
    JsonObject refused = new JsonObject(post(api("block/rm?arg=" + hello)).body().trim());
    assertEquals("pinned: recursive", refused.getString("Error"));
  }

  @Test
  void addThenCatRoundTripsAndBlockPutRefusesBigBlocks() throws Exception {
    start(HttpLimits.defaults());
    byte[] hello = "hello world\n".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> added = upload(api("add"), hello);
    assertEquals(200, added.statusCode(), added.body());
    // What Kubo prints for `echo "hello world" | ipfs add`.
    assertEquals(
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        new JsonObject(added.body().trim()).getString("Hash"));
    assertEquals(
        "hello world\n",
        post(api("cat?arg=QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")).body());
    assertKuboError(upload(api("block/put"), new byte[(2 << 20) + 1]), 500, 0, "2097152 bytes");
  }

  @Test
  void gatewayRefusesBadMethodsAndPathsAndReportsAbsentContent() throws Exception {
    start(HttpLimits.defaults());
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals(
        400,
        get(gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/../x")).statusCode());
    assertEquals(400, get(gateway("/ipfs/not-a-cid")).statusCode());
    assertEquals(
        400,
        get(gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/" + "a".repeat(5000)))
            .statusCode());
    assertEquals(
        404, get(gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")).statusCode());
    assertEquals(
        404,
        get(gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o?format=car"))
            .statusCode());
  }

  @Test
  void gatewayAnswersAMegabytePathWith400() throws Exception {
    start(HttpLimits.defaults());
    // Far beyond HttpLimits.maxUriLength: the HTTP decoder stops reading the line, and the
    // gateway answers as for any path it refuses, not with Netty's 414.
    String answer = rawAnswer("GET /ipfs/" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    // HTTP/1.0: the decoder never reached the request's version.
    assertTrue(answer.matches("(?s)HTTP/1\\.[01] 400 .*"), answer);
    assertTrue(answer.contains("paths are limited to 4096 characters"), answer);
    // Within the line limit but beyond the path limit: the gateway's own check.
    String longPath = rawAnswer("GET /ipfs/" + "a".repeat(6000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(longPath.startsWith("HTTP/1.1 400 "), longPath);
    assertTrue(longPath.contains("longer than the 4096 characters allowed"), longPath);
    // Climbing out of the content root, plainly or percent-encoded, is refused.
    for (String traversal :
        List.of(
            "/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/../../etc/passwd",
            "/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/%2e%2e/%2E%2E/etc/passwd",
            "/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o/a/./b")) {
      String refused = rawAnswer("GET " + traversal + " HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(refused.startsWith("HTTP/1.1 400 "), traversal + ": " + refused);
      assertTrue(refused.contains("not allowed"), traversal + ": " + refused);
    }
    // The gateway still serves after all that.
    assertEquals(
        404, get(gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")).statusCode());
  }

  @Test
  void gatewayServesRangesAndRefusesUnsatisfiableOnes() throws Exception {
    start(HttpLimits.defaults());
    upload(api("add"), "hello world\n".getBytes(StandardCharsets.UTF_8));
    String file = gateway("/ipfs/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o");
    HttpResponse<String> part = get(file, "Range", "bytes=6-10");
    assertEquals(206, part.statusCode());
    assertEquals("world", part.body());
    assertEquals("bytes 6-10/12", part.headers().firstValue("Content-Range").orElseThrow());
    assertEquals(416, get(file, "Range", "bytes=12-").statusCode());
    assertEquals("text/plain; charset=utf-8", get(file).headers().firstValue("Content-Type").get());
  }

  @Test
  void requestsBeyondTheConcurrencyLimitGet503() throws Exception {
    start(new HttpLimits(16, 1, 60, 1 << 20, 8192));
    try (Socket slow = new Socket("127.0.0.1", RunningDaemon.api(daemon).getPort())) {
      OutputStream out = slow.getOutputStream();
      // An add whose body never finishes holds the only request slot.
      out.write(
          ("POST /api/v0/add HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(300);
      assertEquals(503, post(api("version")).statusCode());
    }
  }

  @Test
  void aConnectionBeyondTheLimitDisplacesTheOldestWaitingOne() throws Exception {
    start(new HttpLimits(2, 8, 60, 1 << 20, 8192, java.time.Duration.ofSeconds(30)));
    int port = RunningDaemon.api(daemon).getPort();
    try (Socket a = new Socket("127.0.0.1", port);
        Socket b = openAfter(200, port)) {
      Thread.sleep(200);
      try (Socket c = new Socket("127.0.0.1", port)) {
        a.setSoTimeout(5000);
        assertEquals(-1, a.getInputStream().read(), "the oldest waiting connection must go");
        c.getOutputStream()
            .write(
                "POST /api/v0/version HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        c.setSoTimeout(5000);
        assertEquals("HTTP/1.1 200 OK", StatusLine.read(c.getInputStream()));
      }
    }
  }

  /**
   * A connection opened {@code ms} after the previous one. Connections accepted on different event
   * loops reach the connection guard in the order their loops get to them, so two opened back to
   * back may be counted in either order.
   */
  private static Socket openAfter(long ms, int port) throws Exception {
    Thread.sleep(ms);
    return new Socket("127.0.0.1", port);
  }

  @Test
  void aConnectionTricklingItsRequestHeadIsClosedAtTheReadHeaderTimeout() throws Exception {
    start(new HttpLimits(16, 8, 60, 1 << 20, 8192, java.time.Duration.ofMillis(1500)));
    try (Socket slow = new Socket("127.0.0.1", RunningDaemon.api(daemon).getPort())) {
      slow.setSoTimeout(200);
      OutputStream out = slow.getOutputStream();
      byte[] head = "POST /api/v0/version HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
      long started = System.nanoTime();
      int closedAfter = -1;
      // One byte every 100 ms keeps Netty's idle timeout (60 s) from ever firing.
      for (int i = 0; i < 100 && closedAfter < 0; i++) {
        try {
          out.write(i < head.length ? head[i] : 'x');
          out.flush();
          if (slow.getInputStream().read() == -1) {
            closedAfter = (int) ((System.nanoTime() - started) / 1_000_000);
          }
        } catch (java.net.SocketTimeoutException e) {
          // Nothing to read yet: still open.
        } catch (IOException e) {
          closedAfter = (int) ((System.nanoTime() - started) / 1_000_000);
        }
      }
      assertTrue(closedAfter >= 1400 && closedAfter < 8000, "closed after " + closedAfter + " ms");
    }
  }

  @Test
  void idleConnectionsTimeOut() throws Exception {
    start(new HttpLimits(16, 8, 1, 1 << 20, 8192));
    try (Socket a = new Socket("127.0.0.1", RunningDaemon.api(daemon).getPort())) {
      a.setSoTimeout(5000);
      long started = System.nanoTime();
      assertEquals(-1, a.getInputStream().read(), "idle connection must be closed");
      assertTrue(System.nanoTime() - started < 4_000_000_000L);
    }
  }

  @Test
  void stopReleasesTheRepo() {
    start(HttpLimits.defaults());
    daemon.stop();
    daemon = null;
    try (Repo again = Repo.open(temp.resolve("repo"))) {
      assertEquals(0, again.blocks().size());
    }
  }

  /** The status line, headers and body the gateway sends for {@code request}, until it closes. */
  private String rawAnswer(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", RunningDaemon.gateway(daemon).getPort())) {
      s.setSoTimeout(10_000);
      try {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
      } catch (IOException e) {
        // The server may answer and close before the whole request is written.
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          answer.write(buf, 0, n);
          String text = answer.toString(StandardCharsets.UTF_8);
          int bodyAt = text.indexOf("\r\n\r\n");
          int length = contentLength(text);
          if (bodyAt >= 0 && length >= 0 && answer.size() >= bodyAt + 4 + length) {
            break;
          }
        }
      } catch (java.net.SocketException e) {
        // A reset after the answer arrived.
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }
}
