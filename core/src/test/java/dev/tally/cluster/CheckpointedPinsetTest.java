package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.Raw;
import dev.tally.log.Checkpoint;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint carries the pinset's snapshot: a member opening the cluster restores it and folds
 * only what came after, and ends with the pinset the whole log folds to — entries concurrent with
 * the checkpoint included. Signers endorse a checkpoint only after recomputing the same snapshot.
 */
class CheckpointedPinsetTest {
  private final Ed25519PrivateKey creator = Keys.key(90);
  private final Ed25519PrivateKey bob = Keys.key(91);
  private final List<Cluster> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Cluster::close);
  }

  private Cluster open(Log log, Ed25519PrivateKey key) {
    Cluster c =
        Cluster.open(
            log,
            key,
            new NoPins(),
            ClusterOptions.defaults().withCheckpointEvery(0),
            () -> 5_000L,
            l -> {});
    open.add(c);
    return c;
  }

  private static Cid cid(int i) {
    return Block.create(Raw.CODE, ("file " + i).getBytes(StandardCharsets.UTF_8)).cid();
  }

  private static PeerId id(Ed25519PrivateKey k) {
    return PeerId.fromPublicKey(k.publicKey());
  }

  /** Pins, unpins, updates, states, heartbeats and an audit failure, written by a and b. */
  private static void history(Cluster a, Cluster b, int from, int n) {
    for (int i = from; i < from + n; i++) {
      a.pin(PinRecord.of(cid(i), "f" + i, 1, 2));
      if (i % 3 == 0) {
        a.unpin(cid(i));
      }
      if (i % 3 != 0 && i % 5 == 1) {
        a.update(cid(i), cid(i + 10_000));
      }
      b.log().append(new StateRecord(cid(i), PinState.PINNED, "").toNode(), Keys.key(91));
      b.log().append(new HeartbeatRecord(1_000 + i, 1L << 30).toNode(), Keys.key(91));
    }
  }

  private static Pinset.Snapshot fullFold(Log log) {
    Pinset p = Pinset.of(log.manifest());
    p.applyAll(log.traverse()::iterator);
    return p.snapshot();
  }

  @Test
  void aMemberRestoresTheSnapshotAndFoldsOnlyWhatCameAfter() {
    LogManifest m =
        LogManifest.create(
            "snap", 1, List.of(creator.publicKey()), 0, List.of(creator.publicKey()), true);
    Cluster a = open(Log.create(m, new MemoryBlockstore()), creator);
    a.admit(id(bob));
    Log bobLog = Log.create(m, new MemoryBlockstore());
    bobLog.join(a.log().heads(), a.log().store()::get);
    Cluster b = open(bobLog, bob);
    history(a, b, 0, 60);
    a.join(b.log().heads(), b.log().store()::get);
    b.log().append(new AuditRecord(id(creator), cid(1), "late").toNode(), bob);
    a.join(b.log().heads(), b.log().store()::get);
    b.join(a.log().heads(), a.log().store()::get);

    // Bob writes concurrently with the checkpoint, before he sees it.
    a.checkpoint();
    Checkpoint c = a.log().checkpoints().latestFinal().orElseThrow();
    assertTrue(c.stateRoot().isPresent());
    b.pin(PinRecord.of(cid(2), "concurrent re-pin", 1, 1));
    b.unpin(cid(4));
    history(a, b, 60, 10);
    a.join(b.log().heads(), b.log().store()::get);

    Log fresh = Log.create(m, new MemoryBlockstore());
    fresh.join(a.log().heads(), a.log().store()::get);
    Cluster first = open(fresh, Keys.key(92));
    assertEquals(a.pinset().snapshot(), first.pinset().snapshot());
    assertTrue(!fresh.store().has(c.stateRoot().get()), "the log does not carry the snapshot");
    first.tick(); // keeps the final checkpoint's snapshot, recomputed from its own replica
    assertTrue(fresh.store().has(c.stateRoot().get()));
    first.close();

    // Opened again (a restart): restored from the snapshot, then only the rest is folded.
    Cluster newcomer = open(fresh, Keys.key(92));
    assertEquals(fullFold(fresh), newcomer.pinset().snapshot());
    assertEquals(a.pinset().snapshot(), newcomer.pinset().snapshot());
    long after = fresh.size() - c.count() - 1;
    assertEquals(
        after,
        newcomer.pinset().applied() + newcomer.pinset().malformed(),
        "only the entries after the checkpoint were folded, not the "
            + fresh.size()
            + " of the log");
  }

  @Test
  void aMissingSnapshotBlockFallsBackToTheWholeLog() {
    LogManifest m =
        LogManifest.create(
            "snap2", 1, List.of(creator.publicKey()), 0, List.of(creator.publicKey()), true);
    Cluster a = open(Log.create(m, new MemoryBlockstore()), creator);
    for (int i = 0; i < 10; i++) {
      a.pin(PinRecord.of(cid(i), "", 1, 1));
    }
    a.checkpoint();
    Cid root = a.log().checkpoints().latestFinal().orElseThrow().stateRoot().orElseThrow();
    MemoryBlockstore store = new MemoryBlockstore();
    Log fresh = Log.create(m, store);
    fresh.join(a.log().heads(), a.log().store()::get);
    store.delete(root);
    Cluster newcomer = open(fresh, creator);
    assertEquals(a.pinset().snapshot(), newcomer.pinset().snapshot());
    assertEquals(10, newcomer.pinset().pins().size());
  }

  @Test
  void aSecondSignerEndorsesOnlyWhatItRecomputes() {
    LogManifest m =
        LogManifest.create(
            "signed",
            1,
            List.of(creator.publicKey(), bob.publicKey()),
            0,
            List.of(creator.publicKey()),
            true);
    assertEquals(2, m.quorum());
    Cluster a = open(Log.create(m, new MemoryBlockstore()), creator);
    for (int i = 0; i < 20; i++) {
      a.pin(PinRecord.of(cid(i), "", 1, 1));
    }
    a.checkpoint();
    assertTrue(a.log().checkpoints().latestFinal().isEmpty(), "one of two signers: not final");

    Log bobLog = Log.create(m, new MemoryBlockstore());
    bobLog.join(a.log().heads(), a.log().store()::get);
    Cluster b =
        Cluster.open(
            bobLog,
            bob,
            new NoPins(),
            ClusterOptions.defaults().withCheckpointEvery(1_000),
            () -> 5_000L,
            l -> {});
    open.add(b);
    b.tick(); // endorses after recomputing the snapshot from its own replica
    a.join(b.log().heads(), b.log().store()::get);
    Checkpoint fin = a.log().checkpoints().latestFinal().orElseThrow();
    assertEquals(2, fin.signers().size());
    assertEquals(
        fin.stateRoot(),
        ClusterCheckpoints.stateAt(bobLog, bobLog.checkpoints().get(fin.cid()).orElseThrow()));
  }
}
