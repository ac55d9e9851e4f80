package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogTest {
  private final Ed25519PrivateKey alice = Forge.key(1);
  private final Ed25519PrivateKey bob = Forge.key(2);
  private final LogManifest manifest =
      LogManifest.create("loans", 1, List.of(alice.publicKey(), bob.publicKey()), 0, List.of());

  private Log newLog() {
    return Log.create(manifest, new MemoryBlockstore());
  }

  @Test
  void appendLinksToTheHeadsAndAdvancesTheClock() {
    Log log = newLog();
    Entry a = log.append(Forge.record("1"), alice);
    Entry b = log.append(Forge.record("2"), alice);
    assertEquals(1, a.time());
    assertEquals(List.of(), a.next());
    assertEquals(2, b.time());
    assertEquals(List.of(a.cid()), b.next());
    assertEquals(List.of(b.cid()), log.heads());
    assertEquals(List.of(a.cid(), b.cid()), log.order());
    assertEquals(Forge.record("2"), log.get(b.cid()).orElseThrow().record());
  }

  @Test
  void appendAllChainsTheRecordsAndStoresThemTogether() {
    Log log = newLog();
    Entry first = log.append(Forge.record("0"), bob);
    List<Entry> batch =
        log.appendAll(List.of(Forge.record("1"), Forge.record("2"), Forge.record("3")), alice);
    assertEquals(List.of(first.cid()), batch.get(0).next());
    assertEquals(List.of(batch.get(1).cid()), batch.get(2).next());
    assertEquals(List.of(batch.get(0).cid()), batch.get(2).refs());
    assertEquals(4, batch.get(2).time());
    assertEquals(List.of(batch.get(2).cid()), log.heads());
    assertTrue(log.verify().ok());
    assertEquals(4, log.verify().count());
  }

  @Test
  void refusesToAppendWithAKeyThatIsNotAWriter() {
    Log log = newLog();
    assertThrows(LogException.class, () -> log.append(Forge.record("x"), Forge.key(9)));
    assertEquals(0, log.size());
  }

  @Test
  void skipLinksPointTwoFourEightBackAlongALinearChain() {
    Log log = newLog();
    List<Cid> chain = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      chain.add(log.append(Forge.record("e" + i), i % 3 == 0 ? bob : alice).cid());
    }
    for (int i = 0; i < chain.size(); i++) {
      List<Cid> expected = new ArrayList<>();
      for (int d = 2; i - d >= 0; d *= 2) {
        expected.add(chain.get(i - d));
      }
      assertEquals(expected, log.get(chain.get(i)).orElseThrow().refs(), "entry " + i);
    }
  }

  @Test
  void joinMergesConcurrentBranchesIntoTwoHeads() {
    MemoryBlockstore storeA = new MemoryBlockstore();
    MemoryBlockstore storeB = new MemoryBlockstore();
    Log a = Log.create(manifest, storeA);
    Log b = Log.create(manifest, storeB);
    Entry root = a.append(Forge.record("root"), alice);
    b.join(a.heads(), storeA::get);
    Entry fromA = a.append(Forge.record("a"), alice);
    Entry fromB = b.append(Forge.record("b"), bob);
    JoinResult r = a.join(b.heads(), storeB::get);
    assertEquals(List.of(fromB.cid()), r.added());
    assertEquals(Set.of(fromA.cid(), fromB.cid()), Set.copyOf(a.heads()));
    Entry merge = a.append(Forge.record("m"), alice);
    assertEquals(3, merge.time());
    assertEquals(Set.of(fromA.cid(), fromB.cid()), Set.copyOf(merge.next()));
    b.join(a.heads(), storeA::get);
    assertEquals(a.heads(), b.heads());
    assertEquals(a.order(), b.order());
    assertEquals(root.cid(), a.order().get(0));
  }

  @Test
  void traverseGoesNewestFirstAndStopsAtUntil() {
    Log log = newLog();
    List<Cid> chain = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      chain.add(log.append(Forge.record("e" + i), alice).cid());
    }
    List<Cid> all = log.traverse().map(Entry::cid).toList();
    List<Cid> newestFirst = new ArrayList<>(chain);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, all);
    List<Cid> tail = log.traverse(log.heads(), List.of(chain.get(6))).map(Entry::cid).toList();
    assertEquals(List.of(chain.get(9), chain.get(8), chain.get(7)), tail);
  }

  @Test
  void verifyCountsEntriesAndRecomputesTheHeads() {
    Log log = newLog();
    for (int i = 0; i < 20; i++) {
      log.append(Forge.record("e" + i), i % 2 == 0 ? alice : bob);
    }
    VerifyReport r = log.verify();
    assertTrue(r.ok());
    assertEquals(20, r.count());
    assertEquals(log.heads(), r.heads());
  }

  @Test
  void verifyReportsABlockMissingFromTheStore() {
    MemoryBlockstore store = new MemoryBlockstore();
    Log log = Log.create(manifest, store);
    Cid first = log.append(Forge.record("1"), alice).cid();
    log.append(Forge.record("2"), alice);
    store.delete(first);
    VerifyReport r = log.verify();
    assertFalse(r.ok());
    assertEquals(Set.of(first), r.missing());
    assertEquals(LogVerificationException.Kind.DANGLING_LINK, r.rejected().get(0).kind());
  }

  @Test
  void reopensFromSavedHeads() {
    MemoryBlockstore store = new MemoryBlockstore();
    Log log = Log.create(manifest, store);
    for (int i = 0; i < 5; i++) {
      log.append(Forge.record("e" + i), alice);
    }
    Log again = Log.open(manifest, store, log.heads());
    assertEquals(log.order(), again.order());
    Entry next = again.append(Forge.record("more"), bob);
    assertEquals(6, next.time());
    assertEquals(
        log.get(log.order().get(3)).orElseThrow().refs(),
        again.get(log.order().get(3)).orElseThrow().refs());
    assertTrue(again.verify().ok());
  }

  @Test
  void chainToUsesSkipLinks() {
    Log log = newLog();
    List<Cid> chain = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      chain.add(log.append(Forge.record("e" + i), alice).cid());
    }
    List<Entry> path = log.chainTo(chain.get(1));
    assertEquals(log.heads().get(0), path.get(0).cid());
    assertEquals(chain.get(1), path.get(path.size() - 1).cid());
    // 998 entries apart: a walk by next would take 999 entries, skip links about 2 log2(998).
    assertTrue(path.size() <= 21, "chain of " + path.size());
    Block unrelated = Forge.signed(manifest.cid(), 1, List.of(), List.of(), Forge.record("z"), bob);
    assertThrows(LogException.class, () -> log.chainTo(unrelated.cid()));
  }
}
