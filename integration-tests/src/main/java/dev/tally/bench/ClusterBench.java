package dev.tally.bench;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.Cluster;
import dev.tally.cluster.ClusterOptions;
import dev.tally.cluster.LocalPins;
import dev.tally.cluster.PinRecord;
import dev.tally.cluster.PinState;
import dev.tally.cluster.Pinset;
import dev.tally.cluster.PinsetSnapshot;
import dev.tally.cluster.SettingsRecord;
import dev.tally.cluster.StateRecord;
import dev.tally.cluster.TrackerOptions;
import dev.tally.cluster.UnpinRecord;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.exchange.Bitswap;
import dev.tally.exchange.ExchangeOptions;
import dev.tally.ipld.Block;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.Raw;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Issue 10's cluster figures, each next to an anchor measured in the same run: (1) {@code pin add}
 * of a 64 MiB file on one of five members until it is pinned on the minimum two replicas, next to
 * one plain Bitswap DAG fetch of an equal file from the same adder; (2) a new member loading a
 * 100,000-pin pinset (join: verify and store every entry, then fold), next to the join alone; a
 * member opening a 100,000-pin cluster log with a final checkpoint (pinset snapshot) next to
 * without one; and a brand-new member joining a seeder over loopback (log sync, Bitswap) with the
 * checkpoint the seeder offers next to a seeder without one; (3) repair after losing 2 of 5 members
 * holding 200 pins, next to the down-after time that must pass before any member may re-allocate.
 *
 * <p>Run: {@code mvn -B -q -o -pl integration-tests exec:java
 * -Dexec.mainClass=dev.tally.bench.ClusterBench [-Dexec.args="--file-mib 64 --pins 100000"]}.
 */
public final class ClusterBench {
  private static final Duration HEARTBEAT = Duration.ofMillis(250);
  private static final Duration DOWN_AFTER = Duration.ofSeconds(2);

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    int fileMib = 64;
    int pins = 100_000;
    boolean swarm = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--file-mib" -> fileMib = Integer.parseInt(args[++i]);
        case "--pins" -> pins = Integer.parseInt(args[++i]);
        case "--pinset-only" -> swarm = false;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; usage: ClusterBench [--file-mib N] [--pins N] [--pinset-only]");
      }
    }
    System.out.printf(
        "ClusterBench on JDK %s, %d cores, load average %.1f%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    pinsetLoad(pins);
    if (!swarm) {
      return;
    }
    try (Swarm five = new Swarm(5)) {
      five.pinToMinReplicas(fileMib);
      five.repair(200);
    }
  }

  /** A member's pins in memory, fetched through its Bitswap; counts as held once fetched whole. */
  private static final class MemoryPins implements LocalPins {
    final Set<Cid> pinned = ConcurrentHashMap.newKeySet();
    volatile Bitswap exchange;

    @Override
    public void pin(Cid cid, String name) {
      try {
        exchange.fetchDag(cid).done().await(5, TimeUnit.MINUTES);
      } catch (Exception e) {
        throw new IllegalStateException("cannot fetch " + cid + ": " + e.getMessage(), e);
      }
      pinned.add(cid);
    }

    @Override
    public void unpin(Cid cid) {
      pinned.remove(cid);
    }

    @Override
    public Set<Cid> pinned() {
      return Set.copyOf(pinned);
    }

    @Override
    public long freeBytes() {
      return 100L << 30;
    }
  }

  private static Ed25519PrivateKey key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[31] = 77;
    return Ed25519PrivateKey.fromSeed(seed);
  }

  private static void pinsetLoad(int n) {
    Ed25519PrivateKey k = key(1);
    LogManifest m =
        LogManifest.create("bench", 1, List.of(k.publicKey()), 0, List.of(k.publicKey()));
    Log source = Log.create(m, new MemoryBlockstore());
    List<IpldNode> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = ByteBuffer.allocate(8).putLong(i).array();
      batch.add(PinRecord.of(Block.create(Raw.CODE, data).cid(), "p" + i, 2, 3).toNode());
      if (batch.size() == 1000 || i == n - 1) {
        source.appendAll(batch, k);
        batch.clear();
      }
    }
    // Warm-up: one whole join and fold first, so neither timed pass pays for the JIT.
    Pinset warm = Pinset.of(m);
    Log warmLog = Log.create(m, new MemoryBlockstore());
    warmLog.subscribe(warm::applyAll);
    warmLog.join(source.heads(), source.store()::get);
    long t0 = System.nanoTime();
    Log joinOnly = Log.create(m, new MemoryBlockstore());
    joinOnly.join(source.heads(), source.store()::get);
    long joinNanos = System.nanoTime() - t0;
    t0 = System.nanoTime();
    Log member = Log.create(m, new MemoryBlockstore());
    Pinset pinset = Pinset.of(m);
    member.subscribe(pinset::applyAll);
    member.join(source.heads(), source.store()::get);
    long loadNanos = System.nanoTime() - t0;
    if (pinset.pins().size() != n) {
      throw new IllegalStateException("folded " + pinset.pins().size() + " pins, expected " + n);
    }
    List<dev.tally.log.Entry> entries = member.traverse().toList();
    t0 = System.nanoTime();
    Pinset.of(m).applyAll(entries);
    long foldNanos = System.nanoTime() - t0;
    System.out.printf(
        "load a %,d-pin pinset (join + fold, no checkpoint): %.2f s; anchor, join alone: %.2f s;"
            + " ratio %.2f (the fold of decoded entries alone: %.2f s)%n",
        n, loadNanos / 1e9, joinNanos / 1e9, joinNanos / (double) loadNanos, foldNanos / 1e9);
    openWithCheckpoint(n);
  }

  /**
   * A member opening its replica of a cluster log whose {@code n} pins each also carry the history
   * a real cluster writes (a failed then a pinned state; every other pin added, removed and added
   * again): folding every entry, next to restoring the latest final checkpoint's pinset snapshot
   * and folding only the 1,000 entries after it.
   */
  private static void openWithCheckpoint(int n) {
    Ed25519PrivateKey k = key(2);
    LogManifest m =
        LogManifest.create("bench-cp", 1, List.of(k.publicKey()), 0, List.of(k.publicKey()), true);
    Log plain = Log.create(m, new MemoryBlockstore());
    List<IpldNode> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Cid cid = Block.create(Raw.CODE, ByteBuffer.allocate(8).putLong(i).array()).cid();
      batch.add(PinRecord.of(cid, "p" + i, 2, 3).toNode());
      batch.add(new StateRecord(cid, PinState.FAILED, "no peer sent it yet").toNode());
      batch.add(new StateRecord(cid, PinState.PINNED, "").toNode());
      if (i % 2 == 0) {
        batch.add(new UnpinRecord(cid).toNode());
        batch.add(PinRecord.of(cid, "again" + i, 2, 3).toNode());
      }
      if (batch.size() >= 1000 || i == n - 1) {
        plain.appendAll(batch, k);
        batch.clear();
      }
    }
    Log checkpointed = Log.create(m, new MemoryBlockstore());
    checkpointed.join(plain.heads(), plain.store()::get);
    Pinset folded = Pinset.of(m);
    folded.applyAll(checkpointed.traverse()::iterator);
    Cid root = PinsetSnapshot.write(folded, checkpointed.store());
    checkpointed.checkpoints().propose(k, checkpointed.heads(), Optional.of(root));
    for (int i = 0; i < 1000; i++) {
      Cid cid = Block.create(Raw.CODE, ByteBuffer.allocate(8).putLong(n + i).array()).cid();
      batch.add(PinRecord.of(cid, "late" + i, 2, 3).toNode());
    }
    checkpointed.appendAll(batch, k);
    ClusterOptions never = ClusterOptions.defaults().withCheckpointEvery(0);
    long[] nanos = new long[2];
    int[] sizes = new int[2];
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      for (int which = 0; which < 2; which++) {
        Log log = which == 0 ? plain : checkpointed;
        long t0 = System.nanoTime();
        Cluster c =
            Cluster.open(log, k, new MemoryPins(), never, System::currentTimeMillis, l -> {});
        nanos[which] = System.nanoTime() - t0;
        sizes[which] = c.pinset().pins().size();
        c.close();
      }
    }
    if (sizes[0] != n || sizes[1] != n + 1000) {
      throw new IllegalStateException("opened " + sizes[0] + " and " + sizes[1] + " pins");
    }
    System.out.printf(
        "open a member on a %,d-pin cluster log of %,d entries: with a final checkpoint (restore"
            + " the pinset snapshot, fold the %,d entries after it) %.2f s; without (fold every"
            + " entry) %.2f s; ratio %.2f%n",
        n, plain.size(), 1000, nanos[1] / 1e9, nanos[0] / 1e9, nanos[0] / (double) nanos[1]);
    NewMember without = joinOverNetwork(plain, k, n, n);
    NewMember with = joinOverNetwork(checkpointed, k, n, n + 1000);
    System.out.printf(
        "a brand-new member joins over the network and loads the %,d-pin pinset: with the"
            + " checkpoint its peer offers (bundle, snapshot over Bitswap) %.2f s (%.2f CPU-s),"
            + " %,d records folded; without (replicate and fold all %,d entries) %.2f s (%.2f"
            + " CPU-s), %,d records folded; ratio %.1f (CPU %.1f). With the checkpoint: bundle"
            + " checked and vouched at %.2f s, the whole history behind it (+%,d entries after it)"
            + " replicated at %.2f s (signatures vouched)%n",
        n,
        with.answered() / 1e9,
        with.answeredCpu() / 1e9,
        with.foldedAtAnswer(),
        plain.size(),
        without.answered() / 1e9,
        without.answeredCpu() / 1e9,
        without.foldedAtAnswer(),
        without.answered() / (double) with.answered(),
        without.answeredCpu() / (double) with.answeredCpu(),
        with.vouched() / 1e9,
        1000,
        with.complete() / 1e9);
  }

  /**
   * What a new member's join cost: nanoseconds (wall and process CPU) from its start until it
   * answered with the pinset, records it had folded then, and until it held every entry.
   */
  private record NewMember(
      long vouched, long answered, long answeredCpu, long foldedAtAnswer, long complete) {}

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * A seeder holding {@code source} on loopback (log sync and Bitswap) and a brand-new member that
   * joins it, as {@code tally cluster join} does: its log sync asks for the latest final
   * checkpoint, its cluster loads the snapshot through Bitswap. Timed until its pinset lists {@code
   * answerAt} pins, then until its replica holds every entry and lists {@code completeAt}.
   */
  private static NewMember joinOverNetwork(
      Log source, Ed25519PrivateKey seederKey, int answerAt, int completeAt) {
    Vertx vertx = Vertx.vertx();
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    try {
      BasicHost seederHost = BasicHost.create(vertx, seederKey, HostOptions.defaults());
      await(seederHost.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
      await(Bitswap.start(vertx, seederHost, source.store(), ExchangeOptions.defaults()));
      dev.tally.log.sync.LogSync seederSync =
          new dev.tally.log.sync.LogSync(
                  vertx, seederHost, dev.tally.log.sync.SyncOptions.defaults())
              .start();
      seederSync.track(source, l -> {});

      Ed25519PrivateKey newKey = key(99);
      MemoryBlockstore store = new MemoryBlockstore();
      BasicHost host = BasicHost.create(vertx, newKey, HostOptions.defaults());
      await(host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
      Bitswap bitswap = await(Bitswap.start(vertx, host, store, ExchangeOptions.defaults()));
      Blockstore overBitswap = new BitswapBlocks(store, bitswap);
      long t0 = System.nanoTime();
      long c0 = cpuNanos();
      Log log = Log.create(source.manifest(), store);
      Cluster member =
          Cluster.open(
              log,
              newKey,
              new MemoryPins(),
              ClusterOptions.defaults().withCheckpointEvery(0),
              System::currentTimeMillis,
              l -> {},
              overBitswap);
      member.start(ticks);
      dev.tally.log.sync.LogSync sync =
          new dev.tally.log.sync.LogSync(vertx, host, dev.tally.log.sync.SyncOptions.defaults())
              .start();
      sync.track(log, l -> {});
      await(
          host.dial(
              seederHost.listenAddresses().get(0).encapsulate("/p2p/" + seederHost.peerId())));
      waitFor(
          () -> log.startedFrom().isPresent() || member.pinset().pins().size() >= answerAt,
          Duration.ofMinutes(10));
      long vouched = System.nanoTime() - t0;
      waitFor(() -> member.pinset().pins().size() >= answerAt, Duration.ofMinutes(10));
      long answered = System.nanoTime() - t0;
      long answeredCpu = cpuNanos() - c0;
      long folded = member.pinset().applied();
      waitFor(
          () -> log.size() == source.size() && member.pinset().pins().size() == completeAt,
          Duration.ofMinutes(20));
      long complete = System.nanoTime() - t0;
      if (!member.pinset().pins().keySet().equals(fold(source).pins().keySet())) {
        throw new IllegalStateException("the new member's pinset differs from the seeder's");
      }
      member.close();
      sync.close();
      seederSync.close();
      await(bitswap.close());
      return new NewMember(vouched, answered, answeredCpu, folded, complete);
    } finally {
      ticks.shutdownNow();
      await(vertx.close());
    }
  }

  private static Pinset fold(Log log) {
    Pinset p = Pinset.of(log.manifest());
    p.applyAll(log.traverse()::iterator);
    return p;
  }

  /** A store whose missing blocks come from peers through Bitswap (which stores them). */
  private static final class BitswapBlocks implements Blockstore {
    private final Blockstore local;
    private final Bitswap bitswap;

    BitswapBlocks(Blockstore local, Bitswap bitswap) {
      this.local = local;
      this.bitswap = bitswap;
    }

    @Override
    public boolean has(Cid cid) {
      return local.has(cid);
    }

    @Override
    public Optional<Block> get(Cid cid) {
      Optional<Block> held = local.get(cid);
      return held.isPresent() ? held : Optional.of(await(bitswap.get(cid)));
    }

    @Override
    public void put(Block block) {
      local.put(block);
    }

    @Override
    public void putAll(java.util.Collection<Block> blocks) {
      local.putAll(blocks);
    }

    @Override
    public boolean delete(Cid cid) {
      return local.delete(cid);
    }

    @Override
    public long size() {
      return local.size();
    }

    @Override
    public long totalBytes() {
      return local.totalBytes();
    }

    @Override
    public java.util.stream.Stream<dev.tally.multiformats.Multihash> keys() {
      return local.keys();
    }

    @Override
    public void close() {}
  }

  /** Five members on loopback sharing a cluster log (joined directly) and Bitswap. */
  private static final class Swarm implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final List<Member> members = new ArrayList<>();
    final Random random = new Random(2026);

    final class Member {
      final Ed25519PrivateKey key;
      final Blockstore store = new MemoryBlockstore();
      final MemoryPins pins = new MemoryPins();
      Log log;
      BasicHost host;
      Bitswap bitswap;
      Cluster cluster;
      volatile boolean up;

      Member(int i) {
        key = key(10 + i);
      }

      PeerId id() {
        return PeerId.fromPublicKey(key.publicKey());
      }
    }

    Swarm(int n) {
      for (int i = 0; i < n; i++) {
        members.add(new Member(i));
      }
      Member admin = members.get(0);
      LogManifest m =
          LogManifest.create(
              "bench", 1, List.of(admin.key.publicKey()), 0, List.of(admin.key.publicKey()));
      for (Member x : members) {
        x.log = Log.create(m, x.store);
        x.host = BasicHost.create(vertx, x.key, HostOptions.defaults());
        await(x.host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
        x.bitswap = await(Bitswap.start(vertx, x.host, x.store, ExchangeOptions.defaults()));
        x.pins.exchange = x.bitswap;
      }
      for (Member a : members) {
        for (Member b : members) {
          if (a.id().compareTo(b.id()) < 0) {
            await(a.host.dial(b.host.listenAddresses().get(0).encapsulate("/p2p/" + b.id())));
          }
        }
      }
      admin.cluster = open(admin);
      admin.cluster.settings(new SettingsRecord(HEARTBEAT, DOWN_AFTER));
      for (Member x : members.subList(1, n)) {
        admin.cluster.admit(x.id());
      }
      for (Member x : members.subList(1, n)) {
        x.log.join(admin.log.heads(), admin.store::get);
        x.cluster = open(x);
      }
      scheduler.scheduleWithFixedDelay(this::gossip, 0, 50, TimeUnit.MILLISECONDS);
      waitFor(
          () ->
              members.stream().allMatch(x -> x.cluster.members().stream().allMatch(y -> y.live())),
          Duration.ofSeconds(30));
    }

    Cluster open(Member x) {
      Cluster c =
          Cluster.open(
              x.log,
              x.key,
              x.pins,
              new ClusterOptions(
                  Duration.ofMillis(100),
                  new TrackerOptions(4, Duration.ofMillis(200), Duration.ofSeconds(2))),
              System::currentTimeMillis,
              l -> {});
      x.up = true;
      c.start(scheduler);
      return c;
    }

    void gossip() {
      try {
        for (Member a : members) {
          for (Member b : members) {
            if (a != b && a.up && b.up && !a.log.heads().equals(b.log.heads())) {
              a.cluster.join(b.log.heads(), b.store::get);
            }
          }
        }
      } catch (RuntimeException e) {
        System.err.println("gossip: " + e.getMessage());
      }
    }

    Cid importFile(Member at, int bytes) throws Exception {
      byte[] data = new byte[bytes];
      random.nextBytes(data);
      return new UnixfsImporter(at.store, ImportOptions.defaults())
          .importStream(new ByteArrayInputStream(data), "f")
          .cid();
    }

    int holders(Cid cid) {
      int n = 0;
      for (Member x : members) {
        if (x.up && x.pins.pinned.contains(cid)) {
          n++;
        }
      }
      return n;
    }

    void pinToMinReplicas(int mib) throws Exception {
      Member adder = members.get(0);
      // Warm-up: a smaller fetch first, so the timed fetch does not pay for the JIT.
      await(members.get(1).bitswap.fetchDag(importFile(adder, Math.max(1, mib / 4) << 20)).done());
      Cid anchorFile = importFile(adder, mib << 20);
      long t0 = System.nanoTime();
      await(members.get(1).bitswap.fetchDag(anchorFile).done());
      long fetchNanos = System.nanoTime() - t0;
      Cid file = importFile(adder, mib << 20);
      t0 = System.nanoTime();
      adder.cluster.pin(PinRecord.of(file, "bench", 2, 3));
      waitFor(() -> holders(file) >= 2, Duration.ofMinutes(10));
      long pinNanos = System.nanoTime() - t0;
      System.out.printf(
          "pin add of %d MiB until pinned on 2 replicas: %.2f s (%.0f MiB/s); anchor, one Bitswap"
              + " DAG fetch of %d MiB: %.2f s (%.0f MiB/s); ratio %.2f%n",
          mib,
          pinNanos / 1e9,
          mib / (pinNanos / 1e9),
          mib,
          fetchNanos / 1e9,
          mib / (fetchNanos / 1e9),
          fetchNanos / (double) pinNanos);
    }

    void repair(int n) throws Exception {
      List<Cid> cids = new ArrayList<>();
      Member adder = members.get(0);
      for (int i = 0; i < n; i++) {
        Cid c = importFile(adder, 64 * 1024);
        cids.add(c);
        adder.cluster.pin(PinRecord.of(c, "r" + i, 2, 3));
      }
      waitFor(() -> cids.stream().allMatch(c -> holders(c) == 3), Duration.ofMinutes(5));
      long t0 = System.nanoTime();
      for (Member x : members.subList(0, 2)) {
        x.up = false;
        x.cluster.close();
        await(x.bitswap.close());
        await(x.host.close());
      }
      waitFor(() -> cids.stream().allMatch(c -> holders(c) >= 2), Duration.ofMinutes(5));
      long repairNanos = System.nanoTime() - t0;
      System.out.printf(
          "repair of %d pins after losing 2 of 5 members: %.2f s from the kill; anchor, the"
              + " down-after time: %.2f s; ratio %.2f (a member is down %.2f s after its last"
              + " heartbeat, which precedes the kill by up to %.2f s)%n",
          n,
          repairNanos / 1e9,
          DOWN_AFTER.toMillis() / 1e3,
          DOWN_AFTER.toNanos() / (double) repairNanos,
          DOWN_AFTER.toMillis() / 1e3,
          HEARTBEAT.toMillis() / 1e3);
    }

    @Override
    public void close() {
      scheduler.shutdownNow();
      for (Member x : members) {
        if (x.up) {
          x.up = false;
          x.cluster.close();
          await(x.bitswap.close());
          await(x.host.close());
        }
      }
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + limit);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
