package dev.tally.bench;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.Bitswap;
import dev.tally.exchange.DagFetch;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * End-to-end exchange benchmark on 127.0.0.1 (issue 6): a UnixFS file (Helia's profile, so both
 * sides make the same root) moved Tally→Tally (DAG protocol, then Bitswap only), Helia→Helia,
 * Helia→Tally and Tally→Helia, best of N after a warm-up, each figure next to Helia→Helia measured
 * in the same run; then one capped seeder against four. Tally's blocks live in on-disk pack stores
 * with a small read cache, so the JVM heap (the script caps it at 256 MiB) never holds a file.
 */
public final class ExchangeBench {
  private static final String USAGE =
      "usage: ExchangeBench [--size-mib N (256)] [--runs N (3)] [--ratio-mib N (64)]"
          + " [--cap-mib N (16)] [--it-dir integration-tests] [--work DIR] [--no-node]";

  private final Vertx vertx = Vertx.vertx();
  private final Path work;
  private int seed = 1;

  private ExchangeBench(Path work) {
    this.work = work;
  }

  /** A Tally node: host on 127.0.0.1, Bitswap over an on-disk pack store. */
  private final class Peer implements AutoCloseable {
    final BasicHost host;
    final Blockstore store;
    final Bitswap bitswap;
    final Path dir;

    Peer(ExchangeOptions options) throws IOException {
      byte[] key = new byte[32];
      key[0] = (byte) seed++;
      key[1] = 0x55;
      dir = Files.createTempDirectory(work, "peer");
      store =
          PackBlockstore.open(
              dir, new PackOptions(PackOptions.defaults().packBytes(), 8L << 20, Long.MAX_VALUE));
      host = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(key), HostOptions.defaults());
      join(host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
      bitswap = join(Bitswap.start(vertx, host, store, options));
    }

    String address() {
      return host.listenAddresses().get(0).encapsulate("/p2p/" + host.peerId()).toString();
    }

    Cid importFile(Path file) throws IOException {
      try (InputStream in = Files.newInputStream(file)) {
        return new UnixfsImporter(store, ImportOptions.builder(Profile.UNIXFS_V1_2025).build())
            .importStream(in, "f")
            .cid();
      }
    }

    /**
     * Dials {@code address} and waits for identify, which tells whether it speaks the DAG protocol.
     */
    void connect(String address) throws InterruptedException {
      PeerId peer = join(host.dial(Multiaddr.parse(address))).remotePeer();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (host.peerStore().get(peer).map(i -> i.protocols().isEmpty()).orElse(true)
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }

    DagFetch.Progress fetch(Cid root) {
      return join(bitswap.fetchDag(root).done());
    }

    @Override
    public void close() throws Exception {
      join(bitswap.close());
      join(host.close());
      store.close();
      deleteTree(dir);
    }
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.await(15, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static void main(String[] args) throws Exception {
    int sizeMib = 256;
    int runs = 3;
    int ratioMib = 64;
    int capMib = 16;
    boolean node = true;
    Path itDir =
        Files.isDirectory(Path.of("integration-tests", "src"))
            ? Path.of("integration-tests")
            : Path.of(".");
    Path workRoot = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--size-mib" -> sizeMib = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--ratio-mib" -> ratioMib = Integer.parseInt(args[++i]);
        case "--cap-mib" -> capMib = Integer.parseInt(args[++i]);
        case "--it-dir" -> itDir = Path.of(args[++i]);
        case "--work" -> workRoot = Path.of(args[++i]);
        case "--no-node" -> node = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
      }
    }
    Path work =
        workRoot == null
            ? Files.createTempDirectory("tally-exchange-bench")
            : Files.createDirectories(workRoot);
    ExchangeBench bench = new ExchangeBench(work);
    try {
      bench.run(sizeMib, runs, ratioMib, capMib, node, itDir.toAbsolutePath());
    } finally {
      bench.vertx.close().await(10, TimeUnit.SECONDS);
      deleteTree(work);
    }
  }

  private void run(int sizeMib, int runs, int ratioMib, int capMib, boolean node, Path itDir)
      throws Exception {
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        Locale.ROOT,
        "exchange bench: JDK %s (%s), %d cores, heap max %d MiB, load %.2f, %d MiB file, best of %d%n",
        Runtime.version(),
        System.getProperty("java.vm.name"),
        rt.availableProcessors(),
        rt.maxMemory() >> 20,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        sizeMib,
        runs);
    Path file = randomFile(work.resolve("input.bin"), (long) sizeMib << 20, 2026);
    long size = Files.size(file);
    List<String[]> rows = new ArrayList<>();
    double heliaHelia = Double.NaN;

    try (Peer seeder = new Peer(ExchangeOptions.defaults())) {
      Cid root = seeder.importFile(file);
      double dag = bestOf(runs, size, () -> tallyFetch(seeder, root, true));
      double bitswap = bestOf(runs, size, () -> tallyFetch(seeder, root, false));
      double heliaTally = Double.NaN;
      double tallyHelia = Double.NaN;
      if (node) {
        try (HeliaProcess source = new HeliaProcess(itDir, 1)) {
          String cid =
              source
                  .command(new JsonObject().put("cmd", "add").put("path", file.toString()))
                  .getString("cid");
          if (!cid.equals(root.toString())) {
            throw new IllegalStateException("Helia made root " + cid + ", Tally " + root);
          }
          heliaHelia = bestOf(runs, size, () -> heliaFetch(itDir, source.address(), cid));
          heliaTally = bestOf(runs, size, () -> fetchFrom(source.address(), root));
        }
        tallyHelia = bestOf(runs, size, () -> heliaFetch(itDir, seeder.address(), root.toString()));
      }
      rows.add(row("Tally→Tally, DAG protocol", dag, heliaHelia, "≥ 3"));
      rows.add(row("Tally→Tally, Bitswap only", bitswap, heliaHelia, "≥ 3"));
      rows.add(row("Helia→Helia", heliaHelia, heliaHelia, "—"));
      rows.add(row("Helia→Tally", heliaTally, heliaHelia, "≥ 1"));
      rows.add(row("Tally→Helia", tallyHelia, heliaHelia, "—"));
    }
    System.out.printf(
        Locale.ROOT,
        "%n%-28s %10s %14s %7s %6s%n",
        "transfer (" + sizeMib + " MiB)",
        "MB/s",
        "Helia→Helia",
        "ratio",
        "goal");
    for (String[] r : rows) {
      System.out.printf(Locale.ROOT, "%-28s %10s %14s %7s %6s%n", (Object[]) r);
    }

    Path small = randomFile(work.resolve("ratio.bin"), (long) ratioMib << 20, 7);
    for (boolean dagProtocol : new boolean[] {true, false}) {
      double one = capped(small, 1, capMib, dagProtocol);
      double four = capped(small, 4, capMib, dagProtocol);
      System.out.printf(
          Locale.ROOT,
          "%n%d MiB from seeders capped at %d MiB/s (%s): 1 seeder %.2f s, 4 seeders %.2f s, ratio %.2f (goal ≥ 3)%n",
          ratioMib,
          capMib,
          dagProtocol ? "DAG protocol" : "Bitswap only",
          one,
          four,
          one / four);
    }
    System.out.printf(Locale.ROOT, "heap max %d MiB; MB = 10^6 bytes%n", rt.maxMemory() >> 20);
  }

  private static String[] row(String name, double mbs, double anchor, String goal) {
    return new String[] {
      name,
      Double.isNaN(mbs) ? "—" : String.format(Locale.ROOT, "%.1f", mbs),
      Double.isNaN(anchor) ? "—" : String.format(Locale.ROOT, "%.1f", anchor),
      Double.isNaN(mbs) || Double.isNaN(anchor)
          ? "—"
          : String.format(Locale.ROOT, "%.2f", mbs / anchor),
      goal
    };
  }

  private interface Run {
    /** Seconds the timed part took. */
    double seconds() throws Exception;
  }

  /** One warm-up, then the best of {@code runs}, as MB/s of {@code bytes}. */
  private static double bestOf(int runs, long bytes, Run run) throws Exception {
    run.seconds();
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      System.gc();
      best = Math.min(best, run.seconds());
    }
    return bytes / best / 1e6;
  }

  private double tallyFetch(Peer seeder, Cid root, boolean dagProtocol) throws Exception {
    ExchangeOptions o =
        ExchangeOptions.defaults().withDag(DagOptions.defaults().withFetchWithPeers(dagProtocol));
    try (Peer fetcher = new Peer(o)) {
      fetcher.connect(seeder.address());
      long start = System.nanoTime();
      fetcher.fetch(root);
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private double fetchFrom(String address, Cid root) throws Exception {
    try (Peer fetcher = new Peer(ExchangeOptions.defaults())) {
      fetcher.connect(address);
      long start = System.nanoTime();
      fetcher.fetch(root);
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private double heliaFetch(Path itDir, String from, String cid) throws Exception {
    try (HeliaProcess h = new HeliaProcess(itDir, 100 + seed++)) {
      h.command(new JsonObject().put("cmd", "dial").put("addr", from));
      long start = System.nanoTime();
      h.command(new JsonObject().put("cmd", "cat").put("cid", cid).put("timeoutMs", 600_000));
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /** Seconds to fetch {@code file} from {@code n} seeders each capped at {@code capMib} MiB/s. */
  private double capped(Path file, int n, int capMib, boolean dagProtocol) throws Exception {
    ExchangeOptions o =
        ExchangeOptions.defaults()
            .withMaxUploadBytesPerSecond((long) capMib << 20)
            .withDag(DagOptions.defaults().withFetchWithPeers(dagProtocol));
    List<Peer> seeders = new ArrayList<>();
    try {
      Cid root = null;
      for (int i = 0; i < n; i++) {
        Peer s = new Peer(o);
        seeders.add(s);
        root = s.importFile(file);
      }
      try (Peer fetcher = new Peer(o)) {
        for (Peer s : seeders) {
          fetcher.connect(s.address());
        }
        long start = System.nanoTime();
        fetcher.fetch(root);
        return (System.nanoTime() - start) / 1e9;
      }
    } finally {
      for (Peer s : seeders) {
        s.close();
      }
    }
  }

  /** Writes {@code bytes} pseudo-random bytes (seeded) without holding them in memory. */
  private static Path randomFile(Path path, long bytes, long seed) throws IOException {
    Random r = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long left = bytes; left > 0; left -= buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
    return path;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
