package dev.tally.storage.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.GcLeases;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.CheckpointedHistory;
import dev.tally.cluster.Cluster;
import dev.tally.cluster.ClusterOptions;
import dev.tally.cluster.ForwardingBlockstore;
import dev.tally.cluster.NoPins;
import dev.tally.cluster.PinRecord;
import dev.tally.cluster.Pinset;
import dev.tally.cluster.PinsetSnapshot;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Checkpoint;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.FinalCheckpoint;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.log.store.HeadsFiles;
import dev.tally.log.store.Replicas;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADR 032: a new cluster member loads the pinset snapshot of the checkpoint its replica started
 * from (ADR 027) before the checkpoint entry is in its log, so no GC root reaches the snapshot yet
 * (ADR 026). Collections that run while the snapshot is fetched, just after it is stored and before
 * the history arrives must keep it: the member loads it once, from one fetch of each block, and
 * keeps it for the restart and the peers it offers the checkpoint to.
 */
class CheckpointSnapshotUnderGcTest {
  /** Enough pins for a snapshot of two chunks (4,096 registers each). */
  private static final int PINS = 4500;

  @TempDir Path dir;
  private Repo repo;
  private Replicas replicas;
  private final Ed25519PrivateKey creator = key(80);
  private final Ed25519PrivateKey bob = key(81);
  private final Ed25519PrivateKey newcomerKey = key(82);
  private final List<Cluster> open = new ArrayList<>();
  private LogManifest manifest;
  private Cluster a;
  private Checkpoint checkpoint;
  private List<Cid> snapshotBlocks;

  private static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    return Ed25519PrivateKey.fromSeed(s);
  }

  private static PeerId id(Ed25519PrivateKey k) {
    return PeerId.fromPublicKey(k.publicKey());
  }

  @BeforeEach
  void history() {
    repo = Repo.init(dir.resolve("repo"), RepoConfig.defaults());
    manifest =
        LogManifest.create(
            "snap", 1, List.of(creator.publicKey()), 0, List.of(creator.publicKey()), true);
    a = open(Log.create(manifest, new MemoryBlockstore()), creator, null, GcLeases.NONE);
    checkpoint = CheckpointedHistory.pinsThenCheckpoint(a, bob, PINS);
    a.pin(PinRecord.of(CheckpointedHistory.cid(PINS), "after", 1, 1));
    a.admit(id(newcomerKey));
    Cid root = checkpoint.stateRoot().orElseThrow();
    snapshotBlocks = new ArrayList<>(List.of(root));
    for (IpldNode c :
        DagCbor.decode(a.log().store().get(root).orElseThrow().bytes())
            .asMap()
            .get("chunks")
            .orElseThrow()
            .asList()) {
      snapshotBlocks.add(c.asLink());
    }
    assertEquals(3, snapshotBlocks.size(), "a root and two chunks");
  }

  @AfterEach
  void close() {
    open.forEach(Cluster::close);
    repo.close();
  }

  private Cluster open(Log log, Ed25519PrivateKey key, Blockstore snapshots, GcLeases leases) {
    Cluster c =
        snapshots == null
            ? Cluster.open(
                log,
                key,
                new NoPins(),
                ClusterOptions.defaults().withCheckpointEvery(0),
                () -> 5_000L,
                l -> {})
            : Cluster.open(
                log,
                key,
                new NoPins(),
                ClusterOptions.defaults().withCheckpointEvery(0),
                () -> 5_000L,
                l -> {},
                snapshots,
                leases);
    open.add(c);
    return c;
  }

  private FinalCheckpoint offered() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointBundle.write(a.log(), checkpoint.cid(), out);
    return CheckpointBundle.read(
        new ByteArrayInputStream(out.toByteArray()), manifest.cid(), 1_000_000);
  }

  private void collect() {
    LogGcRootsTest.collect(repo);
  }

  /**
   * The daemon's wiring (Daemon, ClusterMembership): the logs and the exchange store through the
   * repo's leasing view, and collections read the open logs' heads under their locks.
   */
  private Blockstore leasing() {
    return repo.leases().leasing(repo.blocks());
  }

  /**
   * The exchange as the member's fetching blockstore uses it: a block missing here is asked of the
   * peer (the creator), stored through the leasing view, then returned. Before it serves the last
   * chunk the peer waits for a collection, which the test runs right then: the root and the other
   * chunk are stored here by then and nothing roots them.
   */
  private final class Exchange extends ForwardingBlockstore {
    final Map<Cid, AtomicInteger> asked = new ConcurrentHashMap<>();

    Exchange() {
      super(repo.blocks());
    }

    @Override
    public synchronized Optional<Block> get(Cid cid) {
      Optional<Block> here = repo.blocks().get(cid);
      if (here.isPresent()) {
        return here;
      }
      asked.computeIfAbsent(cid, c -> new AtomicInteger()).incrementAndGet();
      Block b = a.log().store().get(cid).orElseThrow();
      if (cid.equals(snapshotBlocks.get(snapshotBlocks.size() - 1))) {
        collect();
      }
      leasing().put(b);
      return Optional.of(b);
    }
  }

  /**
   * The log's store (the leasing view): a collection runs right after the snapshot's blocks are
   * put, before the member reads them back to load the pinset.
   */
  private final class CollectAfterSnapshotPut extends ForwardingBlockstore {
    final AtomicInteger collections = new AtomicInteger();

    CollectAfterSnapshotPut() {
      super(leasing());
    }

    @Override
    public void putAll(Collection<Block> blocks) {
      super.putAll(blocks);
      if (blocks.stream().anyMatch(b -> b.cid().equals(snapshotBlocks.get(0)))) {
        collect();
        collections.incrementAndGet();
      }
    }
  }

  /** The repo's leases, counting those the member holds open. */
  private final class CountedLeases implements GcLeases {
    final AtomicInteger open = new AtomicInteger();

    @Override
    public Lease open() {
      BlockLeases.Lease lease = repo.leases().open();
      open.incrementAndGet();
      return new Lease() {
        private boolean closed;

        @Override
        public void protect(Multihash mh) {
          lease.protect(mh);
        }

        @Override
        public void close() {
          if (!closed) {
            closed = true;
            open.decrementAndGet();
          }
          lease.close();
        }
      };
    }
  }

  private Log newcomerReplica(Blockstore store) {
    replicas = new Replicas(store, HeadsFiles.ofRepo(repo.dir()));
    repo.gc().addRoots(new LogGcRoots(replicas::openHeads, Repo.STATE_LAYOUTS));
    return replicas.join(manifest);
  }

  private void assertSnapshotHere(String when) {
    for (Cid c : snapshotBlocks) {
      assertTrue(repo.blocks().has(c), "snapshot block " + c + " is here " + when);
    }
  }

  @Test
  void collectionsWhileTheSnapshotIsFetchedAndBeforeItsCheckpointArrivesKeepIt()
      throws IOException {
    CollectAfterSnapshotPut store = new CollectAfterSnapshotPut();
    Log fresh = newcomerReplica(store);
    fresh.vouch(offered());
    Exchange exchange = new Exchange();
    CountedLeases leases = new CountedLeases();
    Cluster newcomer = open(fresh, newcomerKey, exchange, leases);

    newcomer.tick();

    assertEquals(1, store.collections.get(), "a collection ran between the put and the load");
    assertEquals(Optional.of(checkpoint), newcomer.loadedFrom(), "loaded despite two collections");
    for (Cid c : snapshotBlocks) {
      assertEquals(1, exchange.asked.get(c).get(), "block " + c + " fetched exactly once");
    }
    assertEquals(0, fresh.size(), "none of the history has arrived");
    assertEquals(1, leases.open.get(), "the snapshot is leased until its checkpoint arrives");

    collect();
    newcomer.tick();
    collect();
    assertSnapshotHere("before its checkpoint entry arrived");

    fresh.join(a.log().heads(), a.log().store()::get);
    replicas.save(fresh);
    assertTrue(
        a.pinset().snapshot().equals(newcomer.pinset().snapshot()),
        "the whole pinset, as the creator folds it");
    assertEquals(
        fresh.size() - checkpoint.count() - 1,
        newcomer.pinset().applied() + newcomer.pinset().malformed(),
        "only the entries after the checkpoint were folded: the snapshot was not recomputed");
    newcomer.tick();
    assertEquals(0, leases.open.get(), "the lease ends once the checkpoint roots the snapshot");
    collect();
    assertSnapshotHere("kept by its checkpoint once the lease ended");
    for (Cid c : snapshotBlocks) {
      assertEquals(1, exchange.asked.get(c).get(), "block " + c + " still fetched once");
    }
    Pinset restored =
        PinsetSnapshot.read(manifest, checkpoint.stateRoot().orElseThrow(), repo.blocks());
    assertEquals(
        a.pinset().pins().size() - 1, restored.pins().size(), "a restart reads the snapshot");
  }

  @Test
  void aMemberClosedBeforeTheCheckpointArrivesLeavesTheSnapshotToTheCollector() throws IOException {
    Log fresh = newcomerReplica(leasing());
    fresh.vouch(offered());
    CountedLeases leases = new CountedLeases();
    Cluster newcomer = open(fresh, newcomerKey, new Exchange(), leases);
    newcomer.tick();
    assertEquals(Optional.of(checkpoint), newcomer.loadedFrom());
    assertEquals(1, leases.open.get());

    newcomer.close();

    assertEquals(0, leases.open.get(), "closing abandons the snapshot");
    collect();
    for (Cid c : snapshotBlocks) {
      assertFalse(repo.blocks().has(c), "nothing roots snapshot block " + c + " any more");
    }
  }
}
