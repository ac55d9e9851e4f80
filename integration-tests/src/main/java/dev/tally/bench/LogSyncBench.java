package dev.tally.bench;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.ipld.IpldNode;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.Entry;
import dev.tally.log.FinalCheckpoint;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.sync.LogSync;
import dev.tally.log.sync.SyncOptions;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.storage.blocks.H2Blockstore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * End-to-end replication figures over {@code /tally/log/1.0.0} on 127.0.0.1: the time a fresh peer
 * takes to fetch, verify and store (H2, as the daemon does) a log of N entries from 1 and from 3
 * seeders, next to the time raw Ed25519 verification of the same entries takes on every core in the
 * same JVM (the ceiling) and to OrbitDB 4.0.0's cold sync measured on this machine (the anchor, 329
 * s for 100,000 entries); and the replication lag while one peer appends at a fixed rate, next to
 * OrbitDB's ~230 entries/s live ceiling.
 *
 * <p>Run: {@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.LogSyncBench
 * [--entries 100000] [--rate 5000] [--seconds 10]}, or through {@code LogBench --sync}.
 */
public final class LogSyncBench {
  /** OrbitDB 4.0.0 + Helia 6, two peers on 127.0.0.1, cold sync of 100,000 entries (issue 8). */
  private static final double ORBITDB_COLD_100K_S = 329;

  /** OrbitDB's live replication kept up with about this many entries/s (issue 8). */
  private static final double ORBITDB_LIVE_RATE = 230;

  private LogSyncBench() {}

  public static void main(String[] args) throws Exception {
    int entries = 100_000;
    int rate = 5_000;
    int secs = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--entries" -> entries = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> secs = Integer.parseInt(args[++i]);
        case "--sync" -> {}
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; usage: LogSyncBench [--entries N] [--rate N/s] [--seconds N]");
      }
    }
    run(entries, rate, secs);
  }

  static void run(int entries, int rate, int secs) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "log replication, %,d entries; %s %s (%s), %d cores, load average %.1f%n",
        entries,
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.vendor"),
        cores,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Ed25519PrivateKey alice = key(1);
    Ed25519PrivateKey bob = key(2);
    LogManifest manifest =
        LogManifest.create(
            "bench", 1, List.of(alice.publicKey(), bob.publicKey()), 0, List.of(alice.publicKey()));
    MemoryBlockstore seedStore = new MemoryBlockstore();
    Log source = Log.create(manifest, seedStore);
    for (int i = 0; i < entries; i += 100) {
      List<IpldNode> batch = new ArrayList<>(100);
      for (int k = i; k < Math.min(entries, i + 100); k++) {
        batch.add(LogBench.record(k));
      }
      source.appendAll(batch, i / 100 % 2 == 0 ? alice : bob);
    }
    // A final checkpoint over the whole log: proposed by alice, endorsed by bob (quorum 2 of 2).
    Entry checkpoint = source.checkpoints().propose(alice);
    source.checkpoints().endorse(checkpoint.cid(), bob);
    double ceiling = rawVerifyAllCores(source, manifest);
    double ceilingS = entries / ceiling;
    System.out.printf(
        "  raw Ed25519 verify, %d cores   %,10.0f /s  -> %,6.2f s for %,d entries (ceiling)%n",
        cores, ceiling, ceilingS, entries);

    Vertx vertx = Vertx.vertx();
    try {
      // Warm-up at a tenth of the size, so the JIT has compiled the paths being measured.
      coldSync(vertx, manifest, source, seedStore, 1, Math.min(entries, 10_000), false, null);
      double withoutCheckpoint = 0;
      for (int seeders : new int[] {1, 3}) {
        double s = coldSync(vertx, manifest, source, seedStore, seeders, entries, true, null);
        withoutCheckpoint = seeders == 1 ? s : withoutCheckpoint;
        double orbit = ORBITDB_COLD_100K_S * entries / 100_000.0;
        System.out.printf(
            "  fresh peer from %d seeder%s     %,10.2f s = %,8.0f entries/s; ceiling/this %.2f;"
                + " OrbitDB %,.0f s/this = %.0fx%n",
            seeders, seeders == 1 ? " " : "s", s, entries / s, ceilingS / s, orbit, orbit / s);
      }
      checkpointStart(vertx, manifest, source, seedStore, checkpoint.cid(), withoutCheckpoint);
      liveLag(vertx, manifest, alice, rate, secs);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A fresh peer starting from the final checkpoint: the seeder writes the checkpoint bundle
   * (checkpoint, endorsements, order index), the fresh peer checks it against the manifest's quorum
   * and answers its first query — how many entries, the newest ten covered, the state — from it
   * (the bundle is handed over in process: no network hop). Then the whole history replicates over
   * {@code /tally/log/1.0.0} with the checkpoint vouching for the covered entries' signatures.
   */
  private static void checkpointStart(
      Vertx vertx,
      LogManifest manifest,
      Log source,
      Blockstore seedStore,
      Cid checkpoint,
      double withoutCheckpoint)
      throws Exception {
    double best = Double.MAX_VALUE;
    FinalCheckpoint f = null;
    long size = 0;
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      CheckpointBundle.write(source, checkpoint, out);
      size = out.size();
      f =
          CheckpointBundle.read(
              new java.io.ByteArrayInputStream(out.toByteArray()), manifest.cid(), 100_000_000L);
      List<Cid> covered = f.covered();
      List<Cid> newest = covered.subList(Math.max(0, covered.size() - 10), covered.size());
      if (newest.isEmpty() || f.checkpoint().count() != covered.size()) {
        throw new IllegalStateException("the first query found nothing");
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(
        "  first query, from a checkpoint %,10.3f s (bundle %,d bytes, %,d entries covered);"
            + " without: %,.2f s (full sync) = %.0fx; goal < 2 s%n",
        best, size, f.checkpoint().count(), withoutCheckpoint, withoutCheckpoint / best);
    double vouched = coldSync(vertx, manifest, source, seedStore, 1, (int) source.size(), true, f);
    System.out.printf(
        "  whole history, vouched by it   %,10.2f s = %,8.0f entries/s; unvouched/this %.2f%n",
        vouched, source.size() / vouched, withoutCheckpoint / vouched);
  }

  /**
   * Seconds until a fresh peer holds all {@code n} entries of {@code source}: fetched from {@code
   * seeders} peers, every entry verified, stored in H2, heads saved after each group; with {@code
   * vouch}, started from that final checkpoint.
   */
  private static double coldSync(
      Vertx vertx,
      LogManifest manifest,
      Log source,
      Blockstore seedStore,
      int seeders,
      int n,
      boolean report,
      FinalCheckpoint vouch)
      throws Exception {
    List<Cid> heads = source.heads();
    if (n < source.size()) {
      heads = List.of(source.order().get(n - 1));
    }
    List<BasicHost> hosts = new ArrayList<>();
    List<LogSync> syncs = new ArrayList<>();
    Path dir = Files.createTempDirectory("tally-sync-bench");
    try {
      for (int i = 0; i < seeders; i++) {
        BasicHost h = host(vertx, 10 + i, hosts);
        Log seeded = Log.open(manifest, seedStore, heads);
        LogSync s = new LogSync(vertx, h, SyncOptions.defaults()).start();
        s.track(seeded, l -> {});
        syncs.add(s);
      }
      try (H2Blockstore h2 = H2Blockstore.open(dir.resolve("fresh.mv.db"))) {
        BasicHost fresh = host(vertx, 20, hosts);
        Log replica = Log.create(manifest, h2);
        if (vouch != null) {
          replica.vouch(vouch);
        }
        LogSync s = new LogSync(vertx, fresh, SyncOptions.defaults()).start();
        AtomicLong saves = new AtomicLong();
        s.track(replica, l -> saves.incrementAndGet());
        syncs.add(s);
        long t0 = System.nanoTime();
        for (int i = 0; i < seeders; i++) {
          BasicHost seeder = hosts.get(i);
          await(fresh.dial(seeder.listenAddresses().get(0).encapsulate("/p2p/" + seeder.peerId())));
        }
        // Heads are set just after the entries are indexed, in the same locked step.
        while (replica.size() < n || !replica.heads().equals(heads)) {
          if (replica.size() >= n && System.nanoTime() - t0 > 600_000_000_000L) {
            throw new IllegalStateException("the fresh peer ended with other heads");
          }
          Thread.sleep(2);
        }
        double s1 = (System.nanoTime() - t0) / 1e9;
        if (report && s.progress(manifest.cid()).orElseThrow().rejected() != 0) {
          throw new IllegalStateException("entries were rejected");
        }
        return s1;
      }
    } finally {
      for (LogSync s : syncs) {
        s.close();
      }
      for (BasicHost h : hosts) {
        h.close().await(10, TimeUnit.SECONDS);
      }
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One peer appends {@code rate} entries/s for {@code secs} s; the other's lag per entry. */
  private static void liveLag(
      Vertx vertx, LogManifest manifest, Ed25519PrivateKey key, int rate, int secs)
      throws Exception {
    List<BasicHost> hosts = new ArrayList<>();
    BasicHost ha = host(vertx, 30, hosts);
    BasicHost hb = host(vertx, 31, hosts);
    Log a = Log.create(manifest, new MemoryBlockstore());
    Path dir = Files.createTempDirectory("tally-lag-bench");
    try (H2Blockstore h2 = H2Blockstore.open(dir.resolve("b.mv.db"))) {
      Log b = Log.create(manifest, h2);
      LogSync sa = new LogSync(vertx, ha, SyncOptions.defaults()).start();
      LogSync sb = new LogSync(vertx, hb, SyncOptions.defaults()).start();
      sa.track(a, l -> {});
      sb.track(b, l -> {});
      Map<Cid, Long> appendedAt = new ConcurrentHashMap<>();
      long[] lags = new long[rate * secs + 1000];
      AtomicLong received = new AtomicLong();
      a.subscribe(batch -> batch.forEach(e -> appendedAt.put(e.cid(), System.nanoTime())));
      b.subscribe(
          batch -> {
            long now = System.nanoTime();
            for (Entry e : batch) {
              Long at = appendedAt.get(e.cid());
              int i = (int) received.getAndIncrement();
              if (at != null && i < lags.length) {
                lags[i] = now - at;
              }
            }
          });
      await(hb.dial(ha.listenAddresses().get(0).encapsulate("/p2p/" + ha.peerId())));
      int perTick = Math.max(1, rate / 100);
      int total = 0;
      long start = System.nanoTime();
      for (int tick = 0; tick < secs * 100; tick++) {
        long due = start + tick * 10_000_000L;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        List<IpldNode> batch = new ArrayList<>(perTick);
        for (int k = 0; k < perTick; k++) {
          batch.add(LogBench.record(total + k));
        }
        a.appendAll(batch, key);
        total += perTick;
      }
      double achieved = total / ((System.nanoTime() - start) / 1e9);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (b.size() < total && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      int n = (int) Math.min(received.get(), lags.length);
      long[] got = Arrays.copyOf(lags, n);
      Arrays.sort(got);
      System.out.printf(
          "  live lag at %,.0f appends/s      p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms over %,d"
              + " entries (%s); OrbitDB keeps up with ~%,.0f/s = %.0fx less%n",
          achieved,
          pct(got, 0.50),
          pct(got, 0.99),
          got.length == 0 ? 0 : got[got.length - 1] / 1e6,
          total,
          b.size() == total ? "all replicated" : "only " + b.size() + " replicated",
          ORBITDB_LIVE_RATE,
          achieved / ORBITDB_LIVE_RATE);
      sa.close();
      sb.close();
    } finally {
      for (BasicHost h : hosts) {
        h.close().await(10, TimeUnit.SECONDS);
      }
      try (var files = Files.walk(dir)) {
        files.sorted((x, y) -> y.compareTo(x)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
  }

  private static double rawVerifyAllCores(Log source, LogManifest manifest) {
    List<byte[]> data = new ArrayList<>();
    List<byte[]> sigs = new ArrayList<>();
    List<Ed25519PublicKey> keys = new ArrayList<>();
    source
        .entries()
        .forEach(
            e -> {
              data.add(e.signedBytes());
              sigs.add(e.node().get("sig").orElseThrow().asBytes());
              keys.add(manifest.writer(e.author()).orElseThrow());
            });
    double best = 0;
    for (int run = 0; run < 3; run++) {
      AtomicLong ok = new AtomicLong();
      long t0 = System.nanoTime();
      IntStream.range(0, data.size())
          .parallel()
          .forEach(
              i -> {
                if (keys.get(i).verify(data.get(i), sigs.get(i))) {
                  ok.incrementAndGet();
                }
              });
      double s = (System.nanoTime() - t0) / 1e9;
      if (ok.get() != data.size()) {
        throw new IllegalStateException("raw verification failed");
      }
      best = Math.max(best, data.size() / s);
    }
    return best;
  }

  private static BasicHost host(Vertx vertx, int seed, List<BasicHost> hosts) {
    BasicHost h = BasicHost.create(vertx, key(seed), HostOptions.defaults());
    await(h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    hosts.add(h);
    return h;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Ed25519PrivateKey key(int v) {
    byte[] s = new byte[32];
    s[0] = (byte) v;
    s[5] = 0x51;
    return Ed25519PrivateKey.fromSeed(s);
  }
}
