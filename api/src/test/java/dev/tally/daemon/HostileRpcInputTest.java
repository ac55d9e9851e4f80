package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.car.CarWriter;
import dev.tally.http.HttpLimits;
import dev.tally.http.OneFileUpload;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import dev.tally.testing.Hostile;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What a client sends the RPC API, through a real daemon: truncated and mutated CARs to {@code
 * dag/import} get a complete answer, and a refused archive small enough for one batch stores
 * nothing; a malformed query string is the client's error (400), not an unanswered request.
 */
class HostileRpcInputTest {
  private static final String BOUNDARY = "h0stile";
  private static Path dir;
  private static Daemon daemon;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("hostile-rpc");
    daemon =
        Daemon.start(
            Repo.init(dir.resolve("repo"), RepoConfig.testProfile()),
            "test",
            HttpLimits.defaults());
  }

  @AfterContainer
  static void stop() throws IOException {
    daemon.stop();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Property(tries = 25, seed = "4081")
  void mutatedCarsGetAnAnswerAndARefusedOneStoresNothing(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    List<Block> blocks = new ArrayList<>();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      byte[] data = Hostile.randomBytes(r, 1 + r.nextInt(300));
      blocks.add(Block.create(Multicodec.RAW, data));
    }
    ByteArrayOutputStream car = new ByteArrayOutputStream();
    try (CarWriter w = CarWriter.open(car, List.of(blocks.get(0).cid()))) {
      for (Block b : blocks) {
        w.write(b);
      }
    }
    byte[] input = Hostile.variant(car.toByteArray(), r);
    long before = daemon.repo().blocks().size();
    HttpResponse<String> answer = upload("dag/import?pin-roots=false", input);
    if (answer.statusCode() == 200) {
      return;
    }
    JsonObject error = new JsonObject(answer.body());
    assertEquals("error", error.getString("Type"), answer.body());
    assertTrue(answer.statusCode() == 400 || answer.statusCode() == 500, answer.body());
    assertEquals(before, daemon.repo().blocks().size(), "a refused import stored blocks");
    for (Block b : blocks) {
      if (daemon.repo().blocks().has(b.cid())) {
        assertEquals(
            b, daemon.repo().blocks().get(b.cid()).orElseThrow(), "a stored block differs");
      }
    }
  }

  @Property(tries = 25, seed = "4082")
  void mutatedDagPutAndBlockPutGetAnAnswerAndARefusedOneStoresNothing(@ForAll long seed)
      throws Exception {
    Random r = new Random(seed);
    String json =
        "{\"a\":[1,-2,3.5,\"x\",{\"/\":\""
            + Block.create(Multicodec.RAW, Hostile.randomBytes(r, 8)).cid()
            + "\"}],\"b\":{\"/\":{\"bytes\":\"aGVsbG8\"}},\"n\":null,\"t\":true}";
    byte[] body = Hostile.variant(json.getBytes(StandardCharsets.UTF_8), r);
    String[] codecs = {"dag-json", "dag-cbor", "dag-pb", "raw", "json", "x"};
    String dagPut =
        "dag/put?input-codec="
            + Hostile.variant(codecs[r.nextInt(2)], r).replaceAll("[^a-z-]", "")
            + "&store-codec="
            + codecs[r.nextInt(codecs.length)]
            + "&hash="
            + (r.nextBoolean()
                ? "sha2-256"
                : Hostile.variant("blake3", r).replaceAll("[^a-z0-9-]", ""));
    String blockPut =
        "block/put?cid-codec="
            + codecs[r.nextInt(codecs.length)]
            + "&mhtype="
            + (r.nextBoolean() ? "sha2-512" : "identity")
            + "&mhlen="
            + (r.nextBoolean() ? "-1" : Integer.toString(r.nextInt(100) - 10));
    for (String command : List.of(dagPut, blockPut)) {
      long before = daemon.repo().blocks().size();
      HttpResponse<String> answer = upload(command, body);
      if (answer.statusCode() == 200) {
        continue;
      }
      JsonObject error = new JsonObject(answer.body());
      assertEquals("error", error.getString("Type"), command + ": " + answer.body());
      assertTrue(
          answer.statusCode() == 400 || answer.statusCode() == 500, command + ": " + answer.body());
      assertEquals(
          before, daemon.repo().blocks().size(), command + ": a refused put stored blocks");
    }
  }

  @Example
  void aMalformedQueryStringIsABadRequest() throws IOException {
    for (String query : List.of("arg=%", "arg=%zz", "%=1", "arg=%4")) {
      String answer = raw("POST /api/v0/cid/format?" + query + " HTTP/1.1");
      assertTrue(answer.startsWith("HTTP/1.1 400 "), query + " got: " + answer);
      assertTrue(answer.contains("malformed query string"), answer);
    }
  }

  private static HttpResponse<String> upload(String command, byte[] data) throws Exception {
    byte[] body = OneFileUpload.body(BOUNDARY, "x.car", data);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api() + command))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String api() {
    return "http://127.0.0.1:" + port() + "/api/v0/";
  }

  private static int port() {
    return RunningDaemon.api(daemon).getPort();
  }

  /** A request line a URI class would refuse to build, sent as is; the whole answer. */
  private static String raw(String requestLine) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              (requestLine + "\r\nHost: api\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      try {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.net.SocketTimeoutException e) {
        fail(requestLine + ": no answer within 20 s");
        return "";
      }
    }
  }
}
