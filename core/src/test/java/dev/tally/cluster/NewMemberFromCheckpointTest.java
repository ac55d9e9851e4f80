package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.log.Checkpoint;
import dev.tally.log.CheckpointBundle;
import dev.tally.log.FinalCheckpoint;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A brand-new member whose log replica starts from a final checkpoint (ADR 027): it loads the
 * pinset from the checkpoint's snapshot, fetched from peers, before any of the history arrives, and
 * then folds only the entries after the checkpoint, ending with the pinset every member folds to. A
 * snapshot served with wrong bytes is refused and the pinset recomputed once the history is here.
 */
class NewMemberFromCheckpointTest {
  private static final int PINS = 3000;

  private final Ed25519PrivateKey creator = Keys.key(70);
  private final Ed25519PrivateKey bob = Keys.key(71);
  private final Ed25519PrivateKey newcomerKey = Keys.key(72);
  private final List<Cluster> open = new ArrayList<>();
  private LogManifest manifest;
  private Cluster a;
  private Checkpoint checkpoint;

  private Cluster open(Log log, Ed25519PrivateKey key, Blockstore snapshots) {
    Cluster c =
        Cluster.open(
            log,
            key,
            new NoPins(),
            ClusterOptions.defaults().withCheckpointEvery(0),
            () -> 5_000L,
            l -> {},
            snapshots);
    open.add(c);
    return c;
  }

  private static Cid cid(int i) {
    return CheckpointedHistory.cid(i);
  }

  private static PeerId id(Ed25519PrivateKey k) {
    return PeerId.fromPublicKey(k.publicKey());
  }

  /**
   * A creator and bob; 3,000 pins (every third unpinned again, bob reporting states and
   * heartbeats), a final checkpoint, then a few more changes and the newcomer's admission.
   */
  @BeforeEach
  void history() {
    manifest =
        LogManifest.create(
            "big", 1, List.of(creator.publicKey()), 0, List.of(creator.publicKey()), true);
    a = open(Log.create(manifest, new MemoryBlockstore()), creator, new MemoryBlockstore());
    checkpoint = CheckpointedHistory.pinsThenCheckpoint(a, bob, PINS);
    a.pin(PinRecord.of(cid(PINS), "after", 1, 1));
    a.unpin(cid(1));
    a.admit(id(newcomerKey));
  }

  @AfterEach
  void close() {
    open.forEach(Cluster::close);
  }

  private FinalCheckpoint offered() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointBundle.write(a.log(), checkpoint.cid(), out);
    return CheckpointBundle.read(
        new ByteArrayInputStream(out.toByteArray()), manifest.cid(), 1_000_000);
  }

  /** The pinset at the checkpoint, folded from the covered entries of the creator's full log. */
  private SortedMap<Cid, PinRecord> pinsAtCheckpoint() {
    Pinset p = Pinset.of(manifest);
    for (Cid c : a.log().checkpoints().coveredBy(checkpoint.cid())) {
      p.apply(a.log().get(c).orElseThrow());
    }
    return p.pins();
  }

  /** Two folds are equal: compared part by part, so a failure names the part, not the whole. */
  private static void assertSamePinset(Pinset expected, Pinset actual) {
    Pinset.Snapshot e = expected.snapshot();
    Pinset.Snapshot x = actual.snapshot();
    assertTrue(e.pins().equals(x.pins()), "pins differ");
    assertEquals(e.members(), x.members());
    assertTrue(e.heartbeats().equals(x.heartbeats()), "heartbeats differ");
    assertTrue(e.states().equals(x.states()), "states differ");
    assertEquals(e.audits(), x.audits());
    assertEquals(e.settings(), x.settings());
    assertEquals(e, x);
  }

  /** Peers' blocks as the exchange serves them, counting the blocks asked for. */
  private static final class Peers extends ForwardingBlockstore {
    final AtomicInteger asked = new AtomicInteger();

    Peers(Blockstore peer) {
      super(peer);
    }

    @Override
    public Optional<Block> get(Cid cid) {
      asked.incrementAndGet();
      return super.get(cid);
    }
  }

  @Test
  void aNewMemberAnswersFromTheSnapshotBeforeTheHistoryThenFoldsOnlyWhatFollows()
      throws IOException {
    Log fresh = Log.create(manifest, new MemoryBlockstore());
    fresh.vouch(offered());
    Peers peers = new Peers(a.log().store());
    Cluster newcomer = open(fresh, newcomerKey, peers);
    newcomer.tick(); // cannot write yet: its admission is not in its replica

    assertEquals(0, fresh.size(), "none of the history has arrived");
    assertEquals(Optional.of(checkpoint), newcomer.loadedFrom());
    assertEquals(2000, pinsAtCheckpoint().size(), "3,000 pins, every third unpinned");
    assertEquals(pinsAtCheckpoint(), newcomer.pinset().pins());
    assertEquals(0, newcomer.pinset().applied(), "no record folded: all from the snapshot");
    assertTrue(newcomer.pinset().isMember(id(bob)));
    assertTrue(!a.allocation(cid(2)).isEmpty());
    assertEquals(a.allocation(cid(2)), newcomer.allocation(cid(2)), "allocation from the snapshot");
    assertTrue(peers.asked.get() >= 2, "the snapshot's root and chunks came from peers");
    assertTrue(fresh.store().has(checkpoint.stateRoot().orElseThrow()), "and are kept here");

    fresh.join(a.log().heads(), a.log().store()::get);
    assertEquals(a.log().heads(), fresh.heads());
    long after = fresh.size() - checkpoint.count() - 1;
    assertEquals(3, after, "a pin, an unpin and the newcomer's admission after the checkpoint");
    assertEquals(
        after,
        newcomer.pinset().applied() + newcomer.pinset().malformed(),
        "only the entries after the checkpoint were folded, not the " + fresh.size());
    assertSamePinset(a.pinset(), newcomer.pinset());
    assertTrue(newcomer.pinset().pin(cid(1)).isEmpty(), "unpinned after the checkpoint");
    assertTrue(newcomer.pinset().isMember(id(newcomerKey)));

    // Its admission is here now: it writes (its first heartbeat).
    newcomer.tick();
    assertTrue(newcomer.pinset().heartbeats().containsKey(id(newcomerKey)));
  }

  @Test
  void aSnapshotServedWithWrongBytesIsRefusedAndRecomputedOnceTheHistoryArrives()
      throws IOException {
    Cid root = checkpoint.stateRoot().orElseThrow();
    byte[] chunk = a.log().store().get(root).orElseThrow().bytes();
    Cid firstChunk =
        DagCbor.decode(chunk).asMap().get("chunks").orElseThrow().asList().get(0).asLink();
    Blockstore hostile =
        new ForwardingBlockstore(a.log().store()) {
          @Override
          public Optional<Block> get(Cid cid) {
            if (cid.equals(firstChunk)) {
              return Optional.of(
                  Block.of(cid, DagCbor.encode(dev.tally.ipld.IpldNode.list(List.of()))));
            }
            return super.get(cid);
          }
        };
    Log fresh = Log.create(manifest, new MemoryBlockstore());
    fresh.vouch(offered());
    Cluster newcomer = open(fresh, newcomerKey, hostile);
    newcomer.loadCheckpointState();
    assertTrue(newcomer.loadedFrom().isEmpty(), "the tampered snapshot was not loaded");
    assertEquals(0, newcomer.pinset().pins().size());
    assertTrue(!fresh.store().has(root), "nothing of it was stored");

    fresh.join(a.log().heads(), a.log().store()::get);
    newcomer.loadCheckpointState();
    assertEquals(Optional.of(checkpoint), newcomer.loadedFrom());
    assertSamePinset(a.pinset(), newcomer.pinset());
  }

  @Test
  void historyArrivingBeforeTheSnapshotLoadsLosesNothing() throws IOException {
    Log fresh = Log.create(manifest, new MemoryBlockstore());
    FinalCheckpoint f = offered();
    fresh.vouch(f);
    Cluster newcomer = open(fresh, newcomerKey, new Peers(a.log().store()));
    // The whole history lands before the member's first tick: covered entries are skipped,
    // the rest folded, and the snapshot then supplies what the covered ones set.
    fresh.join(a.log().heads(), a.log().store()::get);
    assertEquals(3, newcomer.pinset().applied() + newcomer.pinset().malformed());
    newcomer.loadCheckpointState();
    assertSamePinset(a.pinset(), newcomer.pinset());
    a.pin(PinRecord.of(cid(PINS + 1), "late", 1, 1));
    fresh.join(a.log().heads(), a.log().store()::get);
    assertTrue(newcomer.pinset().pin(cid(PINS + 1)).isPresent());
  }

  @Test
  void aRootStoredWithoutItsChunksIsNotTakenForTheWholeSnapshot() throws IOException {
    // The exchange stores each block it fetches as it arrives: a load that fetched the root and
    // then failed on a chunk leaves the root here alone.
    Cid root = checkpoint.stateRoot().orElseThrow();
    Log fresh = Log.create(manifest, new MemoryBlockstore());
    fresh.store().put(a.log().store().get(root).orElseThrow());
    fresh.vouch(offered());
    Cluster newcomer = open(fresh, newcomerKey, new Peers(a.log().store()));
    newcomer.loadCheckpointState();
    assertEquals(Optional.of(checkpoint), newcomer.loadedFrom());
    assertEquals(pinsAtCheckpoint(), newcomer.pinset().pins());
  }
}
