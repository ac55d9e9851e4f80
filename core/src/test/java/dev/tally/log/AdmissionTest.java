package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Writers admitted and removed by admins' signed entries, judged in each entry's causal past. */
class AdmissionTest {
  private final Ed25519PrivateKey admin = Forge.key(1);
  private final Ed25519PrivateKey bob = Forge.key(2);
  private final Ed25519PrivateKey carol = Forge.key(3);
  private final LogManifest manifest =
      LogManifest.create(
          "loans", 1, List.of(admin.publicKey(), bob.publicKey()), 0, List.of(admin.publicKey()));

  private final MemoryBlockstore store = new MemoryBlockstore();
  private final Log log = Log.create(manifest, store);

  private Log replica() {
    return Log.create(manifest, new MemoryBlockstore());
  }

  private static EntrySource source(Map<Cid, Block> blocks, Log log) {
    return c -> Optional.ofNullable(blocks.get(c)).or(() -> log.store().get(c));
  }

  @Test
  void anAdmittedWriterAppendsAndAReplicaAcceptsItsEntries() {
    assertFalse(log.canWrite(carol.publicKey()));
    log.addWriter(carol.publicKey(), admin);
    assertTrue(log.canWrite(carol.publicKey()));
    assertTrue(log.writers().contains(carol.publicKey()));
    Entry c = log.append(Forge.record("carol writes"), carol);

    Log other = replica();
    JoinResult r = other.join(log.heads(), log.store()::get);
    assertEquals(List.of(), r.rejected());
    assertEquals(2, other.size());
    assertEquals(List.of(c.cid()), other.heads());
    assertTrue(other.canWrite(carol.publicKey()));
    assertTrue(log.verify().ok(), log.verify().toString());
  }

  @Test
  void refusesToAppendForAKeyNoAdminAdmitted() {
    LogException e = assertThrows(LogException.class, () -> log.append(Forge.record("x"), carol));
    assertTrue(e.getMessage().contains("WriterAdded"), e.getMessage());
    assertEquals(0, log.size());
  }

  @Test
  void anEntryByTheNewWriterThatDoesNotFollowItsAdmissionIsRejectedAndNotStored() {
    log.addWriter(carol.publicKey(), admin);
    // Carol signs a root entry: it does not descend from the WriterAdded entry.
    Block early = Forge.signed(manifest.cid(), 1, List.of(), List.of(), Forge.record("e"), carol);
    JoinResult r =
        log.join(List.of(early.cid()), c -> Optional.of(early).filter(b -> b.cid().equals(c)));
    assertEquals(1, r.rejected().size());
    assertEquals(Kind.NOT_A_WRITER, r.rejected().get(0).kind());
    assertFalse(store.has(early.cid()));
    assertFalse(log.contains(early.cid()));
  }

  @Test
  void aRemovedWriterCannotWriteAfterTheRemovalButItsEarlierEntriesStay() {
    Entry added = log.addWriter(carol.publicKey(), admin);
    Entry c1 = log.append(Forge.record("before"), carol);
    Entry removed = log.removeWriter(carol.publicKey(), admin);
    assertFalse(log.canWrite(carol.publicKey()));
    assertThrows(LogException.class, () -> log.append(Forge.record("after"), carol));

    // A chain added(1) c1(2) removed(3): an entry at 4 after `removed` skips back to c1.
    Block after =
        Forge.signed(
            manifest.cid(),
            4,
            List.of(removed.cid()),
            List.of(c1.cid()),
            Forge.record("after"),
            carol);
    Log other = replica();
    JoinResult r = other.join(List.of(after.cid()), source(Map.of(after.cid(), after), log));
    assertEquals(List.of(added.cid(), c1.cid(), removed.cid()), r.added());
    assertEquals(1, r.rejected().size());
    assertEquals(Kind.NOT_A_WRITER, r.rejected().get(0).kind());
    assertFalse(other.contains(after.cid()));
    assertEquals(List.of(removed.cid()), other.heads());
  }

  @Test
  void anAdmissionRecordFromAWriterWhoIsNotAnAdminIsRejected() {
    Log other = replica();
    Block forged =
        Forge.signed(
            manifest.cid(), 1, List.of(), List.of(), Admission.writerAdded(carol.publicKey()), bob);
    JoinResult r =
        other.join(List.of(forged.cid()), c -> Optional.of(forged).filter(b -> b.cid().equals(c)));
    assertEquals(Kind.NOT_AN_ADMIN, r.rejected().get(0).kind());
    assertEquals(0, other.size());
    assertThrows(
        LogException.class, () -> log.append(Admission.writerAdded(carol.publicKey()), bob));
  }

  @Test
  void aMalformedAdmissionRecordIsRejected() {
    IpldNode bad =
        IpldNode.map()
            .put("kind", Admission.WRITER_ADDED)
            .put("schema", 1)
            .put("body", IpldNode.map().put("key", IpldNode.of(new byte[5])).build())
            .build();
    Block forged = Forge.signed(manifest.cid(), 1, List.of(), List.of(), bad, admin);
    JoinResult r =
        replica()
            .join(List.of(forged.cid()), c -> Optional.of(forged).filter(b -> b.cid().equals(c)));
    assertEquals(Kind.MALFORMED, r.rejected().get(0).kind());
  }

  @Test
  void concurrentAddAndRemoveResolveInTheTotalOrderOnEveryReplica() {
    // Two replicas diverge: one adds carol, the other first writes, then removes her.
    Log a = log;
    Log b = replica();
    b.join(a.heads(), a.store()::get);
    Entry add = a.addWriter(carol.publicKey(), admin);
    b.append(Forge.record("b1"), bob);
    Entry remove = b.removeWriter(carol.publicKey(), admin);
    // add is at time 1, remove at time 2: at the merge, the removal sorts last and wins.
    assertTrue(add.time() < remove.time());
    a.join(b.heads(), b.store()::get);
    b.join(a.heads(), a.store()::get);
    assertEquals(a.heads(), b.heads());
    assertFalse(a.canWrite(carol.publicKey()));
    assertFalse(b.canWrite(carol.publicKey()));
  }

  @Test
  void aReopenedReplicaKnowsItsAdmittedWriters() {
    log.addWriter(carol.publicKey(), admin);
    log.append(Forge.record("c"), carol);
    Log reopened = Log.open(manifest, store, log.heads());
    assertTrue(reopened.canWrite(carol.publicKey()));
    assertEquals(2, reopened.size());
    assertTrue(reopened.verify().ok());
  }

  @Test
  void subscribersSeeEveryAppendedAndJoinedEntry() {
    Log other = replica();
    List<Cid> seen = new java.util.ArrayList<>();
    Runnable cancel = other.subscribe(batch -> batch.forEach(e -> seen.add(e.cid())));
    Entry a1 = log.append(Forge.record("1"), admin);
    Entry a2 = log.append(Forge.record("2"), bob);
    other.join(log.heads(), log.store()::get);
    Entry o = other.append(Forge.record("3"), bob);
    cancel.run();
    other.append(Forge.record("4"), bob);
    assertEquals(List.of(a1.cid(), a2.cid(), o.cid()), seen);
    assertEquals(other.order(), other.entries().map(Entry::cid).toList());
  }
}
