package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private final Ed25519PrivateKey alice = Forge.key(1);
  private final Ed25519PrivateKey bob = Forge.key(2);
  private final Ed25519PrivateKey carol = Forge.key(3);
  private final LogManifest three =
      LogManifest.create(
          "loans",
          1,
          List.of(alice.publicKey(), bob.publicKey(), carol.publicKey()),
          0,
          List.of(alice.publicKey()));

  private static void sync(Log to, Log from) {
    JoinResult r = to.join(from.heads(), from.store()::get);
    assertEquals(List.of(), r.rejected());
  }

  private Log replica() {
    return Log.create(three, new MemoryBlockstore());
  }

  @Test
  void theDefaultQuorumIsAMajorityOfTheManifestSigners() {
    assertEquals(2, three.quorum());
    LogManifest one = LogManifest.create("x", 1, List.of(alice.publicKey()), 0, List.of());
    assertEquals(1, one.quorum());
    LogManifest four =
        LogManifest.create(
            "x",
            1,
            List.of(
                alice.publicKey(), bob.publicKey(), carol.publicKey(), Forge.key(4).publicKey()),
            0,
            List.of(alice.publicKey()));
    assertEquals(3, four.quorum());
  }

  @Test
  void aQuorumThatIsNotAMajorityIsRefusedAndAValidOneRoundTrips() {
    List<dev.tally.crypto.Ed25519PublicKey> w =
        List.of(alice.publicKey(), bob.publicKey(), carol.publicKey());
    LogException low =
        assertThrows(
            LogException.class,
            () -> LogManifest.create("x", 1, w, 0, List.of(), OptionalInt.of(1)));
    assertTrue(low.getMessage().contains("majority"), low.getMessage());
    assertThrows(
        LogException.class, () -> LogManifest.create("x", 1, w, 0, List.of(), OptionalInt.of(4)));
    LogManifest all = LogManifest.create("x", 1, w, 0, List.of(), OptionalInt.of(3));
    LogManifest back = LogManifest.fromBlock(all.block());
    assertEquals(3, back.quorum());
    assertEquals(OptionalInt.of(3), back.quorumField());
    assertFalse(all.cid().equals(LogManifest.create("x", 1, w, 0, List.of()).cid()));
  }

  @Test
  void aLoneWritersCheckpointIsFinalAtOnceAndItsIndexListsThePastInOrder() {
    LogManifest solo = LogManifest.create("solo", 1, List.of(alice.publicKey()), 0, List.of());
    Log log = Log.create(solo, new MemoryBlockstore());
    List<Cid> appended = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appended.add(log.append(Forge.record("e" + i), alice).cid());
    }
    Entry c = log.checkpoints().propose(alice);
    Checkpoint cp = log.checkpoints().latestFinal().orElseThrow();
    assertEquals(c.cid(), cp.cid());
    assertEquals(5, cp.count());
    assertEquals(List.of(appended.get(4)), cp.heads());
    assertEquals(Checkpoint.Status.FINAL, cp.status());
    assertEquals(appended, OrderIndex.read(cp.index(), log.store()::get, 100));
    assertEquals(appended, log.checkpoints().coveredBy(c.cid()));
    assertEquals(List.of(), log.checkpoints().verify());
  }

  @Test
  void aCheckpointIsFinalOnceAQuorumOfSignersEndorsedIt() {
    Log a = replica();
    Log b = replica();
    for (int i = 0; i < 4; i++) {
      a.append(Forge.record("e" + i), i % 2 == 0 ? alice : bob);
    }
    Entry c = a.checkpoints().propose(alice);
    assertEquals(Checkpoint.Status.PROPOSED, a.checkpoints().get(c.cid()).orElseThrow().status());
    assertTrue(a.checkpoints().latestFinal().isEmpty());
    sync(b, a);
    Entry e = b.checkpoints().endorse(c.cid(), bob);
    assertTrue(e.next().contains(c.cid()));
    Checkpoint onB = b.checkpoints().latestFinal().orElseThrow();
    assertEquals(c.cid(), onB.cid());
    assertEquals(List.of(alice.publicKey(), bob.publicKey()).size(), onB.signers().size());
    sync(a, b);
    assertEquals(c.cid(), a.checkpoints().latestFinal().orElseThrow().cid());
    LogException twice =
        assertThrows(LogException.class, () -> a.checkpoints().endorse(c.cid(), bob));
    assertTrue(twice.getMessage().contains("already signed"), twice.getMessage());
    Log reopened = Log.open(three, a.store(), a.heads());
    assertEquals(c.cid(), reopened.checkpoints().latestFinal().orElseThrow().cid());
    assertTrue(reopened.verify().ok());
  }

  @Test
  void anEntryConcurrentWithAFinalCheckpointSortsAfterEverythingItCovers() {
    Log a = replica();
    Log partitioned = replica();
    List<Cid> shared = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      shared.add(a.append(Forge.record("s" + i), alice).cid());
    }
    sync(partitioned, a);
    // Bob, cut off, writes at time 4; alice goes on to time 5 and checkpoints at time 6.
    Entry concurrent = partitioned.append(Forge.record("late"), bob);
    assertEquals(4, concurrent.time());
    Entry a4 = a.append(Forge.record("a4"), alice);
    Entry a5 = a.append(Forge.record("a5"), alice);
    Entry c = a.checkpoints().propose(alice);
    Log proposedOnly = Log.create(three, new MemoryBlockstore());
    sync(proposedOnly, a);
    Entry endorsement = a.checkpoints().endorse(c.cid(), carol);
    // Without a final checkpoint Lamport order puts bob's entry among the covered ones ...
    sync(proposedOnly, partitioned);
    List<Cid> lamport = proposedOnly.order();
    assertTrue(
        lamport.indexOf(concurrent.cid()) < lamport.indexOf(a5.cid()),
        "time 4 sorts before time 5 while nothing is final");
    // ... a final one puts it after them, whichever arrived first.
    sync(a, partitioned);
    List<Cid> expected =
        List.of(
            shared.get(0),
            shared.get(1),
            shared.get(2),
            a4.cid(),
            a5.cid(),
            c.cid(),
            concurrent.cid(),
            endorsement.cid());
    assertEquals(expected, a.order());
    sync(partitioned, a);
    assertEquals(expected, partitioned.order());
    sync(proposedOnly, a);
    assertEquals(expected, proposedOnly.order());
    List<Cid> newestFirst = new ArrayList<>(expected);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, a.traverse().map(Entry::cid).toList());
    assertTrue(a.verify().ok());
  }

  @Test
  void signersRefuseAWrongDigestAndVerifyReportsAFinalOneThatIsWrong() {
    Log a = replica();
    Entry a1 = a.append(Forge.record("1"), alice);
    Entry a2 = a.append(Forge.record("2"), alice);
    IpldNode lying =
        CheckpointRecords.checkpoint(
            new CheckpointRecords.Digest(
                7,
                List.of(a2.cid()),
                OrderIndex.build(List.of(a1.cid(), a2.cid())).root(),
                Optional.empty()));
    Block c = Forge.signed(three.cid(), 3, List.of(a2.cid()), List.of(a1.cid()), lying, alice);
    JoinResult r = a.join(List.of(c.cid()), source(c));
    assertEquals(List.of(c.cid()), r.added());
    LogException refused =
        assertThrows(LogException.class, () -> a.checkpoints().endorse(c.cid(), bob));
    assertTrue(refused.getMessage().contains("states 7 entries"), refused.getMessage());
    Block forged =
        Forge.signed(
            three.cid(),
            4,
            List.of(c.cid()),
            List.of(a2.cid()),
            CheckpointRecords.endorsement(c.cid()),
            bob);
    assertEquals(List.of(forged.cid()), a.join(List.of(forged.cid()), source(forged)).added());
    assertEquals(c.cid(), a.checkpoints().latestFinal().orElseThrow().cid());
    List<String> faults = a.checkpoints().verify();
    assertEquals(1, faults.size(), faults.toString());
    assertTrue(faults.get(0).contains("states 7 entries, its past holds 2"), faults.get(0));
  }

  @Test
  void malformedCheckpointAndEndorsementEntriesAreRejected() {
    Log a = replica();
    Entry a1 = a.append(Forge.record("1"), alice);
    Entry a2 = a.append(Forge.record("2"), alice);
    Cid index = OrderIndex.build(List.of(a1.cid(), a2.cid())).root();
    // heads that are not the entry's next
    IpldNode wrongHeads =
        CheckpointRecords.checkpoint(
            new CheckpointRecords.Digest(1, List.of(a1.cid()), index, Optional.empty()));
    Block b1 = Forge.signed(three.cid(), 3, List.of(a2.cid()), List.of(a1.cid()), wrongHeads, bob);
    Rejects.assertRejected(Kind.MALFORMED, () -> throwFirst(a.join(List.of(b1.cid()), source(b1))));
    // an unknown field
    IpldNode extra =
        IpldNode.map()
            .put("type", "log/checkpoint")
            .put("v", 1L)
            .put("count", 2L)
            .put("heads", IpldNode.list(IpldNode.of(a2.cid())))
            .put("index", IpldNode.of(index))
            .put("mood", "sunny")
            .build();
    Block b2 = Forge.signed(three.cid(), 3, List.of(a2.cid()), List.of(a1.cid()), extra, bob);
    Rejects.assertRejected(Kind.MALFORMED, () -> throwFirst(a.join(List.of(b2.cid()), source(b2))));
    // an endorsement of an entry that is not a checkpoint
    Block b3 =
        Forge.signed(
            three.cid(),
            3,
            List.of(a2.cid()),
            List.of(a1.cid()),
            CheckpointRecords.endorsement(a2.cid()),
            bob);
    Rejects.assertRejected(Kind.MALFORMED, () -> throwFirst(a.join(List.of(b3.cid()), source(b3))));
    // an endorsement that does not link its checkpoint
    Entry c = a.checkpoints().propose(alice);
    Entry after = a.append(Forge.record("3"), alice);
    Block b4 =
        Forge.signed(
            three.cid(),
            after.time() + 1,
            List.of(after.cid()),
            after.refs().isEmpty() ? List.of() : expectedRefs(a, after),
            CheckpointRecords.endorsement(c.cid()),
            bob);
    Rejects.assertRejected(Kind.MALFORMED, () -> throwFirst(a.join(List.of(b4.cid()), source(b4))));
    assertEquals(Checkpoint.Status.PROPOSED, a.checkpoints().get(c.cid()).orElseThrow().status());
  }

  /** The skip links of an entry appended after {@code parent} in a linear log. */
  private static List<Cid> expectedRefs(Log log, Entry parent) {
    List<Cid> refs = new ArrayList<>();
    refs.add(parent.next().get(0));
    for (int k = 1; ; k++) {
      Entry r = log.get(refs.get(k - 1)).orElseThrow();
      if (r.refs().size() < k) {
        return refs;
      }
      refs.add(r.refs().get(k - 1));
    }
  }

  @Test
  void aSignerWillNotSignTwoConflictingCheckpointsNorAnyThatSkipsTheFinalOne() {
    Log a = replica();
    Log b = replica();
    a.append(Forge.record("root"), alice);
    sync(b, a);
    a.append(Forge.record("a"), alice);
    b.append(Forge.record("b"), bob);
    Entry ca = a.checkpoints().propose(alice);
    Entry cb = b.checkpoints().propose(bob);
    sync(a, b);
    a.checkpoints().endorse(ca.cid(), carol);
    LogException e =
        assertThrows(LogException.class, () -> a.checkpoints().endorse(cb.cid(), carol));
    assertTrue(e.getMessage().contains("conflicts"), e.getMessage());
    assertEquals(ca.cid(), a.checkpoints().latestFinal().orElseThrow().cid());
    // alice signed ca, which is final: cb does not extend it
    LogException skip =
        assertThrows(LogException.class, () -> a.checkpoints().endorse(cb.cid(), alice));
    assertTrue(skip.getMessage().contains("conflicts"), skip.getMessage());
    // an older checkpoint, in the past of the final one, is not signed any more
    Log c = replica();
    Entry first = c.append(Forge.record("1"), alice);
    Entry old = c.checkpoints().propose(alice);
    c.append(Forge.record("2"), alice);
    Entry newer = c.checkpoints().propose(alice);
    c.checkpoints().endorse(newer.cid(), bob);
    LogException stale =
        assertThrows(LogException.class, () -> c.checkpoints().endorse(old.cid(), carol));
    assertTrue(stale.getMessage().contains("lies in the past"), stale.getMessage());
    assertEquals(List.of(first.cid()), c.checkpoints().coveredBy(old.cid()));
  }

  @Test
  void aStateRootIsEndorsedOnlyWhenTheApplicationRecomputesIt() {
    Log a = replica();
    a.append(Forge.record("1"), alice);
    Cid state = Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.of("pinset"))).cid();
    Cid other = Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.of("other"))).cid();
    assertThrows(
        HeadsMovedException.class,
        () -> a.checkpoints().propose(alice, List.of(state), Optional.of(state)));
    Entry c = a.checkpoints().propose(alice, a.heads(), Optional.of(state));
    assertEquals(Optional.of(state), a.checkpoints().get(c.cid()).orElseThrow().stateRoot());
    assertThrows(LogException.class, () -> a.checkpoints().endorse(c.cid(), bob));
    LogException wrong =
        assertThrows(
            LogException.class,
            () -> a.checkpoints().endorse(c.cid(), bob, (log, cp) -> Optional.of(other)));
    assertTrue(wrong.getMessage().contains("state root"), wrong.getMessage());
    a.checkpoints().endorse(c.cid(), bob, (log, cp) -> Optional.of(state));
    assertEquals(Optional.of(state), a.checkpoints().latestFinal().orElseThrow().stateRoot());
  }

  @Test
  void onlyManifestSignersCountAndAnEmptyLogHasNothingToCheckpoint() {
    Log a = replica();
    assertThrows(LogException.class, () -> a.checkpoints().propose(alice));
    a.append(Forge.record("1"), alice);
    Entry c = a.checkpoints().propose(alice);
    Ed25519PrivateKey dave = Forge.key(4);
    a.addWriter(dave.publicKey(), alice);
    LogException e = assertThrows(LogException.class, () -> a.checkpoints().endorse(c.cid(), dave));
    assertTrue(e.getMessage().contains("named in the manifest"), e.getMessage());
  }

  private static EntrySource source(Block... blocks) {
    Map<Cid, Block> m = new java.util.HashMap<>();
    for (Block b : blocks) {
      m.put(b.cid(), b);
    }
    return c -> Optional.ofNullable(m.get(c));
  }

  private static void throwFirst(JoinResult r) {
    assertEquals(List.of(), r.added());
    throw r.rejected().get(0);
  }
}
