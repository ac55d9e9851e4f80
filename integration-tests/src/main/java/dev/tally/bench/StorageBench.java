package dev.tally.bench;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.blocks.H2Blockstore;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.blocks.PackOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Blockstore benchmark (issue 4): {@code putAll} of random 256 KiB blocks into the pack store (and,
 * for the layout decision, into the MVStore-bodies store), random {@code get}, {@code has} of
 * absent CIDs and garbage collection over many small blocks, each printed next to the plain-file
 * sequential write and SHA-256 throughput measured in the same run, as ratios.
 *
 * <p>{@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.StorageBench [--blocks
 * 10000] [--full] [--batch 64] [--absent 1000000] [--gc-blocks 1000000] [--no-mvstore] [--no-gc]
 * [--work DIR]}. The full size is {@code --full} (100,000 blocks, 25 GiB); the default is a
 * tenth of it (2.5 GiB) so a run fits a laptop's disk and a few minutes.
 */
public final class StorageBench {
  private static final int BLOCK = 256 << 10;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private StorageBench() {}

  record Args(
      int blocks, int batch, int absent, int gcBlocks, boolean mvstore, boolean gc, Path work) {
    static Args parse(String[] args) throws IOException {
      int blocks = 10_000;
      int batch = 64;
      int absent = 1_000_000;
      int gcBlocks = 1_000_000;
      boolean mvstore = true;
      boolean gc = true;
      Path work = null;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--blocks" -> blocks = Integer.parseInt(args[++i]);
          case "--full" -> blocks = 100_000;
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--absent" -> absent = Integer.parseInt(args[++i]);
          case "--gc-blocks" -> gcBlocks = Integer.parseInt(args[++i]);
          case "--no-mvstore" -> mvstore = false;
          case "--no-gc" -> gc = false;
          case "--work" -> work = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (work == null) {
        work = Files.createTempDirectory("tally-storage-bench");
      }
      return new Args(blocks, batch, absent, gcBlocks, mvstore, gc, work);
    }
  }

  /** Wall and process-CPU seconds of a measured section. */
  record Clock(double seconds, double cpuSeconds) {
    static long[] start() {
      return new long[] {System.nanoTime(), OS.getProcessCpuTime()};
    }

    static Clock since(long[] start) {
      return new Clock(
          (System.nanoTime() - start[0]) / 1e9, (OS.getProcessCpuTime() - start[1]) / 1e9);
    }
  }

  public static void main(String[] argv) throws Exception {
    Args a = Args.parse(argv);
    try {
      run(a);
    } finally {
      deleteTree(a.work());
    }
  }

  private static void run(Args a) throws Exception {
    long total = (long) a.blocks() * BLOCK;
    System.out.printf(
        "StorageBench: %d blocks of 256 KiB (%.2f GiB), putAll batches of %d, %d cores%n",
        a.blocks(),
        total / (double) (1L << 30),
        a.batch(),
        Runtime.getRuntime().availableProcessors());
    double sha = sha256MbPerSec();
    System.out.printf("  SHA-256 (one thread)         %8.1f MB/s%n", sha);
    Clock plain = plainFile(a, false);
    double plainMb = total / plain.seconds() / 1e6;
    System.out.printf(
        "  plain file, fsync at end     %8.1f MB/s  (%.2f s, %.2f CPU-s)  <- the anchor%n",
        plainMb, plain.seconds(), plain.cpuSeconds());
    Clock plainSynced = plainFile(a, true);
    System.out.printf(
        "  plain file, fsync per batch  %8.1f MB/s  (%.2f s, %.2f CPU-s)  (putAll's durability)%n",
        total / plainSynced.seconds() / 1e6, plainSynced.seconds(), plainSynced.cpuSeconds());

    List<Cid> stored = new ArrayList<>();
    Path packDir = a.work().resolve("packs");
    Clock pack;
    try (PackBlockstore store = PackBlockstore.open(packDir, PackOptions.defaults())) {
      pack = putAll(store, a, stored);
      report("pack putAll", total, pack, plainMb, sha);
    }
    if (a.mvstore()) {
      try (H2Blockstore store = H2Blockstore.open(a.work().resolve("mvstore.mv.db"))) {
        Clock mv = putAll(store, a, new ArrayList<>());
        report("MVStore-bodies putAll", total, mv, plainMb, sha);
      }
      Files.deleteIfExists(a.work().resolve("mvstore.mv.db"));
    }
    try (PackBlockstore store = PackBlockstore.open(packDir, PackOptions.defaults())) {
      // Pack appends bypass the page cache (ADR 024), so the first pass reads from the disk and
      // the second, over the same blocks, from the page cache the first one filled.
      for (String pass : List.of("first random get (disk)", "random get (page-cached)")) {
        SplittableRandom same = new SplittableRandom(7);
        long[] t = Clock.start();
        long read = 0;
        for (int i = 0; i < a.blocks(); i++) {
          read += store.get(stored.get(same.nextInt(stored.size()))).orElseThrow().size();
        }
        report(pass, read, Clock.since(t), plainMb, sha);
      }
      SplittableRandom r = new SplittableRandom(8);
      long[] p = Clock.start();
      int present = 0;
      for (int i = 0; i < a.absent(); i++) {
        present += store.has(stored.get(r.nextInt(stored.size()))) ? 1 : 0;
      }
      Clock hasPresent = Clock.since(p);
      System.out.printf(
          "  has of %d present CIDs    %8.0f /s    (%.2f s, %.2f µs each; %d found)%n",
          a.absent(),
          a.absent() / hasPresent.seconds(),
          hasPresent.seconds(),
          hasPresent.seconds() * 1e6 / a.absent(),
          present);
      byte[] digest = new byte[32];
      long lookupsBefore = store.indexLookups();
      long[] h = Clock.start();
      int found = 0;
      for (int i = 0; i < a.absent(); i++) {
        r.nextBytes(digest);
        found +=
            store.has(Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.SHA2_256, digest))) ? 1 : 0;
      }
      Clock has = Clock.since(h);
      long reachedIndex = store.indexLookups() - lookupsBefore;
      System.out.printf(
          "  has of %d absent CIDs     %8.0f /s    = %5.2fx the present-key rate"
              + "  (%.2f µs each; %d found; %d reached the index, %.3f %%)%n",
          a.absent(),
          a.absent() / has.seconds(),
          hasPresent.seconds() / has.seconds(),
          has.seconds() * 1e6 / a.absent(),
          found,
          reachedIndex,
          100.0 * reachedIndex / a.absent());
    }
    deleteTree(packDir);
    if (a.gc()) {
      GcBench.run(a.work().resolve("gc"), a.gcBlocks());
    }
  }

  private static void report(String what, long bytes, Clock c, double plainMb, double sha) {
    double mb = bytes / c.seconds() / 1e6;
    System.out.printf(
        "  %-28s %8.1f MB/s  = %5.1f %% of plain file, %5.1f %% of SHA-256  (%.2f s, %.2f CPU-s)%n",
        what, mb, 100 * mb / plainMb, 100 * mb / sha, c.seconds(), c.cpuSeconds());
  }

  /** Random blocks, generated batch by batch outside the clock; only putAll is timed. */
  private static Clock putAll(Blockstore store, Args a, List<Cid> stored) {
    SplittableRandom r = new SplittableRandom(2026);
    double wall = 0;
    double cpu = 0;
    for (int done = 0; done < a.blocks(); done += a.batch()) {
      int n = Math.min(a.batch(), a.blocks() - done);
      List<Block> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(Block.create(Multicodec.RAW, BenchData.randomBytes(BLOCK, r)));
      }
      long[] t = Clock.start();
      store.putAll(batch);
      Clock c = Clock.since(t);
      wall += c.seconds();
      cpu += c.cpuSeconds();
      batch.forEach(b -> stored.add(b.cid()));
    }
    return new Clock(wall, cpu);
  }

  /** The same bytes written sequentially to one file and fsynced, timed the same way. */
  private static Clock plainFile(Args a, boolean syncEachBatch) throws IOException {
    Path file = a.work().resolve("plain.bin");
    SplittableRandom r = new SplittableRandom(2026);
    double wall = 0;
    double cpu = 0;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int done = 0; done < a.blocks(); done += a.batch()) {
        int n = Math.min(a.batch(), a.blocks() - done);
        List<byte[]> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          batch.add(BenchData.randomBytes(BLOCK, r));
        }
        long[] t = Clock.start();
        for (byte[] b : batch) {
          ByteBuffer buf = ByteBuffer.wrap(b);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
        if (syncEachBatch || done + n >= a.blocks()) {
          ch.force(false);
        }
        Clock c = Clock.since(t);
        wall += c.seconds();
        cpu += c.cpuSeconds();
      }
    }
    Files.delete(file);
    return new Clock(wall, cpu);
  }

  private static double sha256MbPerSec() throws Exception {
    byte[] data = BenchData.randomBytes(64 << 20, new SplittableRandom(1));
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(data);
    md.digest();
    long t = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      md.update(data);
      md.digest();
    }
    return 4.0 * data.length / ((System.nanoTime() - t) / 1e9) / 1e6;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
