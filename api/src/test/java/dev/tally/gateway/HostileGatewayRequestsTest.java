package dev.tally.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.testing.Hostile;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Gateway paths, query parameters and headers are whatever a client sends. Mutations of valid
 * requests (bad percent-encoding, broken CIDs, unknown formats, hostile ranges and entity-bytes)
 * get a complete HTTP answer with a 2xx, 3xx or 4xx status (501 for what is not served), never a
 * 500 or a dropped connection, and a 200's body is exactly as long as its Content-Length.
 */
class HostileGatewayRequestsTest {
  private static final Set<Integer> ANSWERS =
      Set.of(200, 206, 301, 304, 400, 404, 405, 406, 412, 416, 431, 501);

  private static Vertx vertx;
  private static WorkerExecutor workers;
  private static HttpServer server;
  private static List<String> targets;

  @BeforeContainer
  static void serve() throws Exception {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("hostile-gateway", 2);
    MemoryBlockstore store = new MemoryBlockstore();
    UnixfsImporter importer =
        new UnixfsImporter(store, ImportOptions.builder().chunker("size-1000").build());
    byte[] content = new byte[5000];
    new Random(1).nextBytes(content);
    var file = importer.importFile(new ByteArrayInputStream(content), "d/f.bin");
    var hello =
        importer.importFile(
            new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), "hello.txt");
    var dir = importer.importDirectory("d", List.of(file));
    // Names a Linux directory can hold: control characters, quotes, non-Latin-1 text.
    List<dev.tally.unixfs.ImportedEntry> odd = new java.util.ArrayList<>();
    for (String name :
        List.of("a\nb", "c\rd", "t\tab", "q\"uote", "\u00e9\u6587.txt", "x\u0000y")) {
      odd.add(
          importer.importFile(
              new ByteArrayInputStream(name.getBytes(StandardCharsets.UTF_8)), "odd/" + name));
    }
    var oddDir = importer.importDirectory("odd", odd);
    var root = importer.importDirectory("", List.of(dir, hello, oddDir));
    importer.finishTree(List.of());
    Block raw = Block.create(Multicodec.RAW, content);
    store.put(raw);
    Cid r = root.cid();
    targets =
        List.of(
            "/ipfs/" + r + "/",
            "/ipfs/" + r + "/d/f.bin",
            "/ipfs/" + r + "/hello.txt?filename=h%C3%A9.txt&download=true",
            "/ipfs/" + r.toV1() + "/d/?format=car&dag-scope=entity",
            "/ipfs/" + file.cid() + "?format=car&entity-bytes=100:-200&car-version=1",
            "/ipfs/" + raw.cid() + "?format=raw",
            "/ipfs/" + r + "/odd/a%0Ab",
            "/ipfs/" + r + "/odd/c%0Dd?format=raw",
            "/ipfs/" + r + "/odd/t%09ab",
            "/ipfs/" + r + "/odd/q%22uote?format=car",
            "/ipfs/" + r + "/odd/%C3%A9%E6%96%87.txt",
            "/ipfs/" + r + "/odd/x%00y",
            "/ipfs/" + r + "/odd/",
            "/ipfs/" + raw.cid() + "?format=%zz&dag-scope=%",
            "/ipfs/" + r + "/d/f.bin?entity-bytes=%",
            "/ipfs/"
                + file.cid().toV1().toString(dev.tally.multiformats.Multibase.BASE36)
                + "?format=car&dag-scope=block");
    Gateway gateway = new Gateway(store, workers);
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .invalidRequestHandler(Gateway::invalidRequest)
            .requestHandler(gateway)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get();
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    workers.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Example
  void namesWithControlCharactersAreServedOrRefusedWithAnAnswer() throws IOException {
    for (String target : targets) {
      if (target.contains("/odd/")) {
        Response response = send("GET", target, Map.of());
        assertTrue(
            ANSWERS.contains(response.status),
            target + " answered " + response.status + ": " + response.text());
      }
    }
  }

  @Property(tries = 250, seed = "4071")
  void mutatedRequestsGetACompleteAnswerAndNever500(@ForAll long seed) throws IOException {
    Random r = new Random(seed);
    String target = targets.get(r.nextInt(targets.size()));
    // Mostly the path after the CID and the query: a broken CID alone is refused at once.
    int cidEnd = target.indexOf('/', "/ipfs/".length());
    int queryAt = target.indexOf('?');
    int keep = cidEnd > 0 ? cidEnd : queryAt > 0 ? queryAt : target.length();
    if (r.nextInt(4) == 0) {
      keep = 0;
    }
    if (r.nextInt(6) > 0) {
      target = target.substring(0, keep) + Hostile.variant(target.substring(keep), r);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (r.nextBoolean()) {
      headers.put(
          "Range",
          Hostile.variant(List.of("bytes=0-99", "bytes=-10", "bytes=4990-").get(r.nextInt(3)), r));
    }
    if (r.nextInt(4) == 0) {
      headers.put("Accept", Hostile.variant("application/vnd.ipld.car; version=1", r));
    }
    if (r.nextInt(4) == 0) {
      headers.put("If-None-Match", Hostile.variant("\"" + targets.get(0) + "\"", r));
    }
    String method = r.nextInt(8) == 0 ? "HEAD" : "GET";
    Response response = send(method, sendable(target), headers);
    assertTrue(
        ANSWERS.contains(response.status),
        method
            + " "
            + target
            + " "
            + headers
            + " answered "
            + response.status
            + ": "
            + response.text());
    if (method.equals("GET")
        && (response.status == 200 || response.status == 206)
        && response.headers.containsKey("content-length")) {
      assertEquals(
          Long.parseLong(response.headers.get("content-length")),
          response.body.length,
          target + ": the body is not as long as its Content-Length");
    }
  }

  /** Characters a request line cannot carry raw go percent-encoded; '%' stays, bad or not. */
  private static String sendable(String target) {
    StringBuilder b = new StringBuilder();
    for (byte x : target.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c > 0x20 && c < 0x7f) {
        b.append((char) c);
      } else {
        b.append(String.format(Locale.ROOT, "%%%02X", c));
      }
    }
    return b.toString();
  }

  private record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static Response send(String method, String target, Map<String, String> headers)
      throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      s.setSoTimeout(20_000);
      StringBuilder req = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: gw\r\n");
      headers.forEach(
          (k, v) ->
              req.append(k)
                  .append(": ")
                  .append(v.replaceAll("[^\\x20-\\x7e]", "?"))
                  .append("\r\n"));
      req.append("Connection: close\r\n\r\n");
      s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      String what = method + " " + target + " " + headers;
      byte[] all;
      try {
        all = s.getInputStream().readAllBytes();
      } catch (java.net.SocketTimeoutException e) {
        throw new AssertionError(what + ": no answer within 20 s", e);
      }
      return parse(all, what);
    }
  }

  private static Response parse(byte[] all, String what) throws IOException {
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      fail(what + ": no complete HTTP answer, got " + all.length + " bytes: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(new ByteArrayInputStream(body), what);
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(InputStream in, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          fail(what + ": a chunked body was cut off (the stream was reset mid-answer)");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
      if (size == 0) {
        return out.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        fail(what + ": a chunked body was cut off (the stream was reset mid-answer)");
      }
      out.writeBytes(chunk);
      in.readNBytes(2);
    }
  }
}
