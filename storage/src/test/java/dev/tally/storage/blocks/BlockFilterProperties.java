package dev.tally.storage.blocks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The absent-key filter never answers "absent" for a stored key, whatever the order of adds,
 * deletes and rebuilds, including keys added while a rebuild scans its snapshot.
 */
class BlockFilterProperties {

  /** One step: add a fresh key, delete a stored one, or rebuild (with adds racing the scan). */
  enum Op {
    ADD,
    DELETE,
    REBUILD
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.of(Op.class).list().ofMinSize(1).ofMaxSize(400);
  }

  private static byte[] key(Random r) {
    byte[] k = new byte[34];
    r.nextBytes(k);
    k[0] = 0x12;
    k[1] = 0x20;
    return k;
  }

  @Property(tries = 200)
  void neverForgetsAStoredKey(
      @ForAll("ops") List<Op> ops, @ForAll long seed, @ForAll @IntRange(max = 20) int racing) {
    Random r = new Random(seed);
    BlockFilter filter = new BlockFilter(0);
    Set<ByteBuffer> stored = new HashSet<>();
    for (Op op : ops) {
      switch (op) {
        case ADD -> {
          byte[] k = key(r);
          filter.add(k);
          stored.add(ByteBuffer.wrap(k));
        }
        case DELETE -> {
          if (!stored.isEmpty()) {
            ByteBuffer victim = new ArrayList<>(stored).get(r.nextInt(stored.size()));
            stored.remove(victim);
            filter.removed(1);
          }
        }
        case REBUILD -> {
          List<byte[]> snapshot = new ArrayList<>();
          boolean rebuilt =
              filter.rebuild(
                  stored.size(),
                  start -> {
                    start.run();
                    stored.forEach(b -> snapshot.add(b.array()));
                    return racingAdds(snapshot.iterator(), filter, stored, r, racing);
                  });
          assertTrue(rebuilt);
        }
      }
      for (ByteBuffer k : stored) {
        assertTrue(filter.mightContain(k.array()), "a stored key reads as absent after " + op);
      }
    }
  }

  /** Iterates the snapshot while a "writer" adds keys between its steps, as a concurrent put. */
  private static Iterator<byte[]> racingAdds(
      Iterator<byte[]> snapshot, BlockFilter filter, Set<ByteBuffer> stored, Random r, int n) {
    return new Iterator<>() {
      int left = n;

      @Override
      public boolean hasNext() {
        if (left > 0) {
          left--;
          byte[] k = key(r);
          filter.add(k);
          stored.add(ByteBuffer.wrap(k));
        }
        return snapshot.hasNext();
      }

      @Override
      public byte[] next() {
        return snapshot.next();
      }
    };
  }

  @Test
  void answersAbsentForAllButAboutOnePercentAtCapacity() {
    Random r = new Random(11);
    BlockFilter filter = new BlockFilter(0);
    for (long i = 0; i < filter.capacity(); i++) {
      filter.add(key(r));
    }
    int positives = 0;
    int probes = 200_000;
    for (int i = 0; i < probes; i++) {
      positives += filter.mightContain(key(r)) ? 1 : 0;
    }
    assertTrue(positives < probes * 0.02, positives + " false positives of " + probes);
  }

  @Test
  void growsWhenTheStoreOutgrowsItAndShrinksAfterMassDeletes() {
    BlockFilter filter = new BlockFilter(5_000_000);
    long cap = filter.capacity();
    assertTrue(cap >= 10_000_000, "sized for twice the keys: " + cap);
    assertTrue(filter.needsRebuild(cap + 1), "outgrown");
    filter.removed(4_900_000);
    assertTrue(filter.needsRebuild(100_000), "mostly stale after deletes");
    assertTrue(filter.rebuild(100_000, BlockFilterProperties::emptyIndex));
    assertTrue(filter.capacity() < cap, "rebuilt smaller: " + filter.capacity());
    assertTrue(!filter.needsRebuild(100_000));
  }

  private static Iterator<byte[]> emptyIndex(Runnable start) {
    start.run();
    return List.<byte[]>of().iterator();
  }
}
