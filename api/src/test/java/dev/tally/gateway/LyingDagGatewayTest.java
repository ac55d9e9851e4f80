package dev.tally.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagPb;
import dev.tally.ipld.PbLink;
import dev.tally.ipld.PbNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.unixfs.pb.UnixfsProto.Data;
import dev.tally.unixfs.pb.UnixfsProto.Data.DataType;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A DAG whose nodes lie about their sizes (every block hashes to its CID; the claims do not match
 * the bytes, ADR 040) cannot be served as a file. When the root or the first bytes show the lie,
 * the gateway answers 500 with boxo's "failed to resolve" naming the CID and what is wrong, and
 * logs one WARN line without a stack trace; when the lie lies past the headers, the connection is
 * cut (the client sees fewer bytes than Content-Length), also with one WARN line. Both for the
 * copying gateway and for the daemon's, whose leaves leave pack files as file regions (ADR 044).
 */
class LyingDagGatewayTest {
  private static Vertx vertx;
  private static WorkerExecutor workers;
  private static final MemoryBlockstore memory = new MemoryBlockstore();
  private static Path packDir;
  private static PackBlockstore packs;

  /** The copying gateway on a memory store, and the daemon's: leaves as file regions of packs. */
  private static final Map<String, HttpServer> servers = new LinkedHashMap<>();

  private ListAppender<ILoggingEvent> log;

  @BeforeAll
  static void serve() throws Exception {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("lying-gateway", 2);
    packDir = Files.createTempDirectory("lying-gateway");
    packs = PackBlockstore.open(packDir, PackOptions.defaults());
    servers.put("copying", listen(new Gateway(memory, workers)));
    servers.put("regions", listen(new Gateway(packs, workers).withFiles(packs::files)));
  }

  private static HttpServer listen(Gateway gateway) throws Exception {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(gateway)
        .listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get();
  }

  @AfterAll
  static void stop() throws Exception {
    for (HttpServer server : servers.values()) {
      server.close().toCompletionStage().toCompletableFuture().get();
    }
    workers.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    packs.close();
    try (java.util.stream.Stream<Path> files = Files.walk(packDir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }

  @BeforeEach
  void captureLog() {
    log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(Gateway.class)).addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    ((Logger) LoggerFactory.getLogger(Gateway.class)).detachAppender(log);
  }

  @ParameterizedTest
  @ValueSource(strings = {"copying", "regions"})
  void aRootWhoseFilesizeLiesIsA500NamingTheCidWithoutAStackTrace(String gateway)
      throws IOException {
    HttpServer server = servers.get(gateway);
    Cid leaf = put(Multicodec.RAW, bytes(100, 1));
    // Blocksizes match the child; the filesize claims 50 bytes more than they add up to.
    Cid root =
        node(Data.newBuilder().setType(DataType.File).addBlocksizes(100).setFilesize(150), leaf);

    Response get = send(server, "GET", "/ipfs/" + root);
    assertEquals(500, get.status(), get.text());
    assertTrue(get.text().startsWith("failed to resolve /ipfs/" + root + ": "), get.text());
    assertTrue(get.text().contains(root.toString()), get.text());
    assertTrue(get.text().contains("filesize of 150"), get.text());
    assertOneWarnLineNaming(root);

    Response head = send(server, "HEAD", "/ipfs/" + root);
    assertEquals(500, head.status());
  }

  @ParameterizedTest
  @ValueSource(strings = {"copying", "regions"})
  void aChildHoldingOtherThanItsBlocksizeIsA500NamingBothCids(String gateway) throws IOException {
    HttpServer server = servers.get(gateway);
    Cid leaf = put(Multicodec.RAW, bytes(100, 2));
    // The root says its only child holds 120 bytes (and its filesize agrees); the child has 100.
    Cid root =
        node(Data.newBuilder().setType(DataType.File).addBlocksizes(120).setFilesize(120), leaf);

    Response get = send(server, "GET", "/ipfs/" + root);
    assertEquals(500, get.status(), get.text());
    assertTrue(get.text().contains(root.toString()), get.text());
    assertTrue(get.text().contains(leaf.toString()), get.text());
    assertTrue(get.text().contains("blocksize of 120"), get.text());
    assertOneWarnLineNaming(root);
  }

  @ParameterizedTest
  @ValueSource(strings = {"copying", "regions"})
  void aLieBeyondTheHeadersCutsTheConnectionShortOfContentLength(String gateway)
      throws IOException {
    HttpServer server = servers.get(gateway);
    // The first child is honest and covers the bytes sniffed for the content type; the second
    // claims 4,000 bytes but holds 3,000, which only the body's read reaches.
    Cid first = put(Multicodec.RAW, bytes(2000, 3));
    Cid second = put(Multicodec.RAW, bytes(3000, 4));
    Cid root =
        node(
            Data.newBuilder()
                .setType(DataType.File)
                .addBlocksizes(2000)
                .addBlocksizes(4000)
                .setFilesize(6000),
            first,
            second);

    // The body may be cut after the 200 head left, or before (its first bytes were still queued
    // when the lie was found); either way the client never sees a complete answer.
    Optional<Response> get = sendMaybeUnanswered(server, "GET", "/ipfs/" + root);
    if (get.isPresent()) {
      Response answer = get.get();
      assertEquals(200, answer.status(), answer.headers() + answer.text());
      assertEquals("6000", answer.header("content-length"));
      assertTrue(
          answer.body().length < 6000,
          "the client must see the body cut short, got " + answer.body().length + " bytes");
    }
    assertOneWarnLineNaming(root);
  }

  private void assertOneWarnLineNaming(Cid cid) {
    List<ILoggingEvent> warnings =
        log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    assertEquals(1, warnings.size(), "log: " + log.list);
    ILoggingEvent warn = warnings.get(0);
    assertTrue(warn.getFormattedMessage().contains(cid.toString()), warn.getFormattedMessage());
    assertEquals(null, warn.getThrowableProxy(), "no stack trace in the log");
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /** A dag-pb file node with UnixFS {@code data} and {@code children} as its links. */
  private static Cid node(Data.Builder data, Cid... children) {
    List<PbLink> links = Arrays.stream(children).map(c -> PbLink.of(c, "", 0)).toList();
    return put(
        Multicodec.DAG_PB, DagPb.encode(PbNode.of(links, Optional.of(data.build().toByteArray()))));
  }

  private static Cid put(long codec, byte[] bytes) {
    Block b = Block.create(codec, bytes);
    memory.put(b);
    packs.put(b);
    return b.cid();
  }

  private record Response(int status, java.util.Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  private static Response send(HttpServer server, String method, String target) throws IOException {
    return sendMaybeUnanswered(server, method, target)
        .orElseThrow(() -> new AssertionError(method + " " + target + ": no answer"));
  }

  /**
   * One request on its own connection; reads until the server closes or resets it. Empty when the
   * connection ended before any byte of an answer.
   */
  private static Optional<Response> sendMaybeUnanswered(
      HttpServer server, String method, String target) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.actualPort())) {
      s.setSoTimeout(20_000);
      s.getOutputStream()
          .write(
              (method + " " + target + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          all.write(buf, 0, n);
        }
      } catch (SocketException e) {
        // Reset by the server: what arrived before it is the answer.
      }
      byte[] bytes = all.toByteArray();
      if (bytes.length == 0) {
        return Optional.empty();
      }
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(text.startsWith("HTTP/1.1 ") && end > 0, "no HTTP answer: " + text);
      java.util.Map<String, String> headers = new java.util.HashMap<>();
      String[] lines = text.substring(0, end).split("\r\n");
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
      return Optional.of(new Response(Integer.parseInt(lines[0].substring(9, 12)), headers, body));
    }
  }
}
