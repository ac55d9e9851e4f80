package dev.tally.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Cid;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.ImportedEntry;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File responses with leaves sent as file regions (ADR 044) against the same gateway without them:
 * the same status, header lines and bytes for every file shape and range, a corrupt record never
 * reaches the client, a client that leaves mid-body releases the pack descriptors, compaction
 * deleting the packs under a response does not change its bytes, and the connection serves the next
 * request after a region response.
 */
class GatewayFileRegionsTest {
  @TempDir Path temp;

  private Vertx vertx;
  private WorkerExecutor workers;
  private final List<PackBlockstore> stores = new ArrayList<>();

  private record Served(
      PackBlockstore store, Gateway plain, Gateway regions, int plainPort, int regionsPort) {}

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    stores.forEach(PackBlockstore::close);
  }

  private Served serve(PackBlockstore store) {
    if (vertx == null) {
      vertx = Vertx.vertx();
      workers = vertx.createSharedWorkerExecutor("gateway-regions-test", 4);
    }
    Gateway plain = new Gateway(store, workers);
    Gateway regions = new Gateway(store, workers).withFiles(store::files);
    return new Served(store, plain, regions, listen(plain), listen(regions));
  }

  private int listen(Gateway gateway) {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setCompressionSupported(false))
            .requestHandler(gateway)
            .listen(0, "127.0.0.1")
            .await();
    return server.actualPort();
  }

  private PackBlockstore store(String name, PackOptions options) {
    PackBlockstore store = PackBlockstore.open(temp.resolve(name), options);
    stores.add(store);
    return store;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Cid add(PackBlockstore store, ImportOptions options, byte[] content)
      throws Exception {
    UnixfsImporter importer = new UnixfsImporter(store, options);
    ImportedEntry e = importer.importFile(new ByteArrayInputStream(content), "f");
    importer.finishTree(List.of());
    return e.cid();
  }

  private static ImportOptions.Builder profile(String name) {
    return ImportOptions.builder(Profile.byName(name).orElseThrow());
  }

  @Test
  void everyFileShapeAndRangeGetsTheBytesAndHeadersOfTheCopyingPath() throws Exception {
    PackBlockstore store = store("shapes", PackOptions.defaults().withPackBytes(1 << 20));
    Map<String, Cid> files = new LinkedHashMap<>();
    files.put(
        "CIDv0, dag-pb leaves",
        add(store, profile("unixfs-v0-2015").build(), random(1_200_123, 1)));
    files.put(
        "CIDv1, raw leaves",
        add(store, profile("unixfs-v1-2025").chunker("size-262144").build(), random(900_001, 2)));
    files.put(
        "CIDv1, dag-pb leaves",
        add(
            store,
            ImportOptions.builder().cidVersion(1).rawLeaves(false).chunker("size-65536").build(),
            random(300_000, 3)));
    files.put(
        "three levels, raw leaves",
        add(
            store,
            ImportOptions.builder().rawLeaves(true).chunker("size-1000").maxLinks(8).build(),
            random(100_000, 4)));
    files.put(
        "three levels, dag-pb leaves",
        add(
            store,
            ImportOptions.builder().chunker("size-1000").maxLinks(8).build(),
            random(70_000, 5)));
    files.put(
        "trickle, dag-pb leaves",
        add(
            store,
            ImportOptions.builder().chunker("size-4096").trickle(true).build(),
            random(200_000, 6)));
    files.put("one block, dag-pb", add(store, profile("unixfs-v0-2015").build(), random(1000, 7)));
    files.put("one block, raw", add(store, profile("unixfs-v1-2025").build(), random(5000, 8)));
    files.put(
        "identity leaves",
        add(
            store,
            ImportOptions.builder().rawLeaves(true).chunker("size-40").inline(48).build(),
            random(1000, 9)));
    files.put(
        "text, sniffed",
        add(
            store,
            ImportOptions.builder().chunker("size-512").build(),
            "<html><body>hello</body></html>\n".repeat(100).getBytes()));
    files.put("empty", add(store, profile("unixfs-v0-2015").build(), new byte[0]));
    Served s = serve(store);
    List<String[]> requests =
        List.of(
            new String[] {"GET"},
            new String[] {"HEAD"},
            new String[] {"GET", "Range: bytes=0-0"},
            new String[] {"GET", "Range: bytes=1000-300000"},
            new String[] {"GET", "Range: bytes=262143-262145"},
            new String[] {"GET", "Range: bytes=999-1000"},
            new String[] {"GET", "Range: bytes=-5000"},
            new String[] {"GET", "Range: bytes=39-"},
            new String[] {"GET", "Range: bytes=999999999-"},
            new String[] {"HEAD", "Range: bytes=5-10"});
    try (RawHttp plain = new RawHttp(s.plainPort());
        RawHttp regions = new RawHttp(s.regionsPort())) {
      for (Map.Entry<String, Cid> f : files.entrySet()) {
        for (String[] r : requests) {
          String what = f.getKey() + ", " + String.join(" ", r);
          String[] headers = Arrays.copyOfRange(r, 1, r.length);
          RawHttp.Response want = plain.exchange(r[0], "/ipfs/" + f.getValue(), headers);
          // Every request here goes over one connection: keep-alive holds after region bodies.
          RawHttp.Response got = regions.exchange(r[0], "/ipfs/" + f.getValue(), headers);
          assertTrue(want.complete(), what);
          assertEquals(want.status(), got.status(), what);
          assertEquals(want.headers(), got.headers(), what);
          assertArrayEquals(want.body(), got.body(), what);
          assertTrue(got.complete(), what);
        }
      }
    }
    assertEquals(0, s.plain().bytesFromFiles());
    // Leaves of every multi-block shape went out as regions: at least the whole-file GETs' bytes.
    assertTrue(
        s.regions().bytesFromFiles() > 1_200_123 + 900_001 + 300_000 + 100_000,
        "bytes sent as regions: " + s.regions().bytesFromFiles());
    waitForNoReaderFiles(store);
  }

  @Test
  void aFlippedByteInAPackCutsTheResponseBeforeTheCorruptLeafAsTheCopyingPathDoes()
      throws Exception {
    byte[] content = random(1 << 20, 11);
    Path dir = temp.resolve("corrupt");
    Cid cid;
    try (PackBlockstore store = PackBlockstore.open(dir, PackOptions.defaults())) {
      cid = add(store, profile("unixfs-v0-2015").build(), content);
    }
    // Flip a byte of the third leaf's data: found by its bytes in the pack.
    int at = 600_000;
    byte[] needle = Arrays.copyOfRange(content, at, at + 64);
    Path pack;
    try (Stream<Path> ls = Files.list(dir)) {
      pack = ls.filter(p -> p.toString().endsWith(".pack")).findFirst().orElseThrow();
    }
    byte[] packBytes = Files.readAllBytes(pack);
    int found = indexOf(packBytes, needle);
    assertTrue(found > 0, "the leaf's bytes are in the pack");
    packBytes[found + 10] ^= 0x01;
    Files.write(pack, packBytes);

    Served s = serve(store("corrupt", PackOptions.defaults()));
    for (int port : new int[] {s.plainPort(), s.regionsPort()}) {
      try (RawHttp http = new RawHttp(port)) {
        RawHttp.Response r = http.exchange("GET", "/ipfs/" + cid);
        // Headers went out with the first leaf; the corrupt leaf ends the response early.
        assertEquals("HTTP/1.1 200 OK", r.status());
        assertEquals(content.length, r.contentLength());
        assertFalse(r.complete(), "port " + port + " sent " + r.body().length + " bytes");
        assertTrue(r.body().length <= at + 10, "port " + port + ": " + r.body().length);
        assertArrayEquals(Arrays.copyOf(content, r.body().length), r.body(), "no corrupt byte");
      }
    }
    waitForNoReaderFiles(s.store());
  }

  @Test
  void aClientLeavingMidBodyReleasesThePackDescriptors() throws Exception {
    PackBlockstore store = store("leave", PackOptions.defaults().withPackBytes(4 << 20));
    byte[] content = random(24 << 20, 12);
    Cid cid = add(store, profile("unixfs-v1-2025").build(), content);
    Served s = serve(store);
    try (RawHttp http = new RawHttp(s.regionsPort())) {
      http.send("GET", "/ipfs/" + cid);
      RawHttp.Response head = http.head();
      assertEquals("HTTP/1.1 200 OK", head.status());
      assertArrayEquals(Arrays.copyOf(content, 100_000), http.body(100_000));
      Thread.sleep(200); // the walk runs ahead by the window, then waits for the socket
      assertTrue(store.readerFilesOpen() > 0, "the response holds its packs open");
    }
    waitForNoReaderFiles(store);
    // The gateway still answers.
    try (RawHttp http = new RawHttp(s.regionsPort())) {
      RawHttp.Response r = http.exchange("GET", "/ipfs/" + cid, "Range: bytes=5-9");
      assertArrayEquals(Arrays.copyOfRange(content, 5, 10), r.body());
    }
    waitForNoReaderFiles(store);
  }

  @Test
  void aClientThatStopsReadingHoldsTheWalkToTheWindow() throws Exception {
    PackBlockstore store = store("slow", PackOptions.defaults().withPackBytes(16 << 20));
    byte[] content = random(64 << 20, 14);
    Cid cid = add(store, profile("unixfs-v1-2025").build(), content);
    if (vertx == null) {
      vertx = Vertx.vertx();
      workers = vertx.createSharedWorkerExecutor("gateway-regions-test", 4);
    }
    java.util.concurrent.atomic.AtomicLong handedOut = new java.util.concurrent.atomic.AtomicLong();
    Gateway counting =
        new Gateway(store, workers)
            .withFiles(
                () -> {
                  dev.tally.blockstore.BlockFiles files = store.files();
                  return new dev.tally.blockstore.BlockFiles() {
                    @Override
                    public java.util.Optional<dev.tally.blockstore.StoredBody> body(Cid c) {
                      var b = files.body(c);
                      b.ifPresent(x -> handedOut.addAndGet(x.size()));
                      return b;
                    }

                    @Override
                    public void close() {
                      files.close();
                    }
                  };
                });
    int port = listen(counting);
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(64 << 10);
      socket.connect(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      socket
          .getOutputStream()
          .write(("GET /ipfs/" + cid + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
      // Read nothing: the walk stops once the window and the sockets' buffers are full.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (handedOut.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long seen = -1;
      for (int i = 0; i < 50 && seen != handedOut.get(); i++) {
        seen = handedOut.get();
        Thread.sleep(300);
      }
      assertTrue(seen > 0, "the walk started");
      // Window (4 MiB) + the kernel's send buffer (autotuned up to a few MiB) + one 1 MiB leaf.
      assertTrue(seen < 16L << 20, "bodies handed out to a client reading nothing: " + seen);
      assertTrue(store.readerFilesOpen() <= 4, "descriptors: " + store.readerFilesOpen());
    }
    waitForNoReaderFiles(store);
  }

  @Test
  void compactionDeletingThePacksUnderAResponseLeavesItsBytesIntact() throws Exception {
    PackBlockstore store = store("compact", PackOptions.defaults().withPackBytes(2 << 20));
    byte[] content = random(24 << 20, 13);
    Cid cid = add(store, profile("unixfs-v0-2015").build(), content);
    Set<String> before = packs(store.directory());
    Served s = serve(store);
    try (RawHttp http = new RawHttp(s.regionsPort())) {
      http.send("GET", "/ipfs/" + cid);
      assertEquals("HTTP/1.1 200 OK", http.head().status());
      byte[] first = http.body(1 << 16);
      Thread.sleep(200);
      // Every pack is below a live ratio of 1.01: all are copied to new packs and deleted.
      PackBlockstore.Compaction c = store.compact(1.01);
      assertTrue(c.packsRemoved() >= before.size() - 1, c.toString());
      Set<String> after = packs(store.directory());
      Set<String> kept = new TreeSet<>(before);
      kept.retainAll(after);
      assertTrue(kept.size() <= 1, "old packs left: " + kept);
      byte[] rest = http.body(content.length - first.length);
      byte[] all = new byte[first.length + rest.length];
      System.arraycopy(first, 0, all, 0, first.length);
      System.arraycopy(rest, 0, all, first.length, rest.length);
      assertArrayEquals(content, all);
      // And the next request on this connection reads the moved records.
      RawHttp.Response again = http.exchange("GET", "/ipfs/" + cid, "Range: bytes=3000000-3999999");
      assertArrayEquals(Arrays.copyOfRange(content, 3_000_000, 4_000_000), again.body());
    }
    assertTrue(s.regions().bytesFromFiles() >= content.length);
    waitForNoReaderFiles(store);
  }

  private static Set<String> packs(Path dir) throws Exception {
    try (Stream<Path> ls = Files.list(dir)) {
      return ls.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pack"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static void waitForNoReaderFiles(PackBlockstore store) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (store.readerFilesOpen() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, store.readerFilesOpen(), "pack descriptors still open");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
