package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Merkle-CRDT laws on random DAGs: three writers on three replicas append and sync in a random
 * interleaving, making concurrent branches and merges.
 */
class LogPropertiesTest {
  private static final Ed25519PrivateKey[] KEYS = {Forge.key(1), Forge.key(2), Forge.key(3)};
  private static final LogManifest MANIFEST =
      LogManifest.create(
          "props",
          1,
          List.of(KEYS[0].publicKey(), KEYS[1].publicKey(), KEYS[2].publicKey()),
          0,
          List.of());

  /** An operation: replica {@code at} appends (when {@code from} is 3) or joins replica from. */
  record Op(int at, int from) {}

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op =
        Arbitraries.integers()
            .between(0, 2)
            .flatMap(at -> Arbitraries.integers().between(0, 3).map(from -> new Op(at, from)));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  private static Log[] run(List<Op> ops) {
    Log[] replicas = new Log[3];
    for (int i = 0; i < 3; i++) {
      replicas[i] = Log.create(MANIFEST, new MemoryBlockstore());
    }
    int n = 0;
    for (Op op : ops) {
      if (op.from() == 3) {
        replicas[op.at()].append(Forge.record("r" + n++), KEYS[op.at()]);
      } else if (op.from() != op.at()) {
        Log src = replicas[op.from()];
        replicas[op.at()].join(src.heads(), src.store()::get);
      }
    }
    return replicas;
  }

  private static Log copy(Log log) {
    Log c = Log.create(MANIFEST, new MemoryBlockstore());
    c.join(log.heads(), log.store()::get);
    return c;
  }

  private static Log union(Log a, Log b) {
    Log c = copy(a);
    c.join(b.heads(), b.store()::get);
    return c;
  }

  private static List<Cid> traversal(Log log) {
    return log.traverse().map(Entry::cid).toList();
  }

  @Property(tries = 40)
  void joinIsCommutative(@ForAll("histories") List<Op> ops) {
    Log[] r = run(ops);
    Log ab = union(r[0], r[1]);
    Log ba = union(r[1], r[0]);
    assertEquals(ab.heads(), ba.heads());
    assertEquals(traversal(ab), traversal(ba));
  }

  @Property(tries = 40)
  void joinIsAssociative(@ForAll("histories") List<Op> ops) {
    Log[] r = run(ops);
    Log left = union(union(r[0], r[1]), r[2]);
    Log right = union(r[0], union(r[1], r[2]));
    assertEquals(left.heads(), right.heads());
    assertEquals(traversal(left), traversal(right));
  }

  @Property(tries = 40)
  void joinIsIdempotent(@ForAll("histories") List<Op> ops) {
    Log[] r = run(ops);
    Log a = r[0];
    List<Cid> before = a.heads();
    long size = a.size();
    JoinResult again = a.join(a.heads(), a.store()::get);
    assertEquals(List.of(), again.added());
    assertEquals(before, a.heads());
    assertEquals(size, a.size());
  }

  @Property(tries = 40)
  void replicasWithTheSameHeadsTraverseIdentically(@ForAll("histories") List<Op> ops) {
    Log[] r = run(ops);
    // Everyone pulls from everyone, in a different order per replica.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          int from = (i + j) % 3;
          if (from != i) {
            r[i].join(r[from].heads(), r[from].store()::get);
          }
        }
      }
    }
    assertEquals(r[0].heads(), r[1].heads());
    assertEquals(r[0].heads(), r[2].heads());
    List<Cid> t0 = traversal(r[0]);
    assertEquals(t0, traversal(r[1]));
    assertEquals(t0, traversal(r[2]));
    List<Cid> ascending = new ArrayList<>(t0);
    Collections.reverse(ascending);
    assertEquals(ascending, r[2].order());
    assertTrue(r[1].verify().ok());
  }

  @Property(tries = 30)
  void totalOrderIsATotalOrderThatPutsParentsFirst(
      @ForAll("histories") List<Op> ops, @ForAll long seed) {
    Log all = union(union(run(ops)[0], run(ops)[1]), run(ops)[2]);
    List<Entry> entries = new ArrayList<>(all.traverse().toList());
    List<Entry> shuffled = new ArrayList<>(entries);
    Collections.shuffle(shuffled, new Random(seed));
    shuffled.sort(EntryOrder.ENTRIES);
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(EntryOrder.ENTRIES);
    assertEquals(sorted, shuffled);
    for (Entry a : entries) {
      for (Entry b : entries) {
        int ab = EntryOrder.ENTRIES.compare(a, b);
        assertEquals(Integer.signum(ab), -Integer.signum(EntryOrder.ENTRIES.compare(b, a)));
        assertEquals(ab == 0, a.equals(b));
        for (Entry c : entries.subList(0, Math.min(entries.size(), 8))) {
          if (ab < 0 && EntryOrder.ENTRIES.compare(b, c) < 0) {
            assertTrue(EntryOrder.ENTRIES.compare(a, c) < 0);
          }
        }
      }
    }
    for (Entry e : entries) {
      for (Cid parent : e.next()) {
        assertTrue(EntryOrder.ENTRIES.compare(all.get(parent).orElseThrow(), e) < 0);
      }
    }
  }
}
