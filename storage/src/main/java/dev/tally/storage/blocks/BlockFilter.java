package dev.tally.storage.blocks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A Bloom filter over the stored multihashes, kept in memory only, so that {@code has} and {@code
 * get} of an absent block answer without an index look-up. It never gives a false negative: a key
 * is added before its index entry becomes visible, and a rebuild adds keys written while it runs to
 * both the old and the new filter. Deleted keys keep their bits (a stale positive falls through to
 * the index) until a rebuild drops them.
 *
 * <p>10 bits and 7 probes per key give about 1 % false positives at capacity; the bit array is a
 * power of two, so a filter holds between 1.25 and 2.5 bytes per key of capacity. The hash is
 * seeded per process: a peer cannot craft keys that collide in every node's filter.
 */
final class BlockFilter {
  static final int BITS_PER_KEY = 10;
  static final int PROBES = 7;
  static final long MIN_CAPACITY = 1 << 20;

  private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long seed = new SecureRandom().nextLong();
  private final ReentrantLock rebuilding = new ReentrantLock();
  private final AtomicLong stale = new AtomicLong();
  private volatile Bits current;
  private volatile Bits next;

  /** An empty filter sized for {@code keys} keys (at least {@link #MIN_CAPACITY}). */
  BlockFilter(long keys) {
    this.current = new Bits(capacityFor(keys));
  }

  private static long capacityFor(long keys) {
    return Math.max(MIN_CAPACITY, 2 * keys);
  }

  /** Adds a key; call it before the key's index entry becomes visible to readers. */
  void add(byte[] key) {
    long h = hash(key);
    Bits n = next;
    if (n != null) {
      n.add(h);
    }
    current.add(h);
  }

  /** False if the key was never added since the last rebuild; true may be a false positive. */
  boolean mightContain(byte[] key) {
    return current.contains(hash(key));
  }

  /** Counts keys deleted from the index: their bits stay set until the next rebuild. */
  void removed(long keys) {
    stale.addAndGet(keys);
  }

  /** How many keys the filter holds at about 1 % false positives. */
  long capacity() {
    return current.capacity;
  }

  /**
   * Whether {@code liveKeys} outgrew the filter, or deletes left more stale keys than live ones.
   */
  boolean needsRebuild(long liveKeys) {
    long cap = current.capacity;
    return liveKeys > cap || (cap > MIN_CAPACITY && stale.get() > Math.max(liveKeys, cap / 4));
  }

  /**
   * Replaces the filter with one sized for {@code liveKeys} and filled from {@code snapshot},
   * unless another rebuild is running. {@code snapshot} must, under the writers' lock, run the
   * {@code Runnable} it is given and then open an iterator over the index as of that moment: from
   * then on {@link #add} fills the new filter too, so no key written during the scan is missed.
   *
   * @return whether this call rebuilt the filter
   */
  boolean rebuild(long liveKeys, Function<Runnable, Iterator<byte[]>> snapshot) {
    if (!rebuilding.tryLock()) {
      return false;
    }
    try {
      Bits fresh = new Bits(capacityFor(liveKeys));
      Iterator<byte[]> keys =
          snapshot.apply(
              () -> {
                next = fresh;
                stale.set(0);
              });
      while (keys.hasNext()) {
        fresh.add(hash(keys.next()));
      }
      current = fresh;
      next = null;
      return true;
    } finally {
      rebuilding.unlock();
    }
  }

  /** A 64-bit hash of the key under this filter's seed (murmur-style mixing of 8-byte words). */
  long hash(byte[] key) {
    long h = seed ^ (key.length * 0x9E3779B97F4A7C15L);
    int i = 0;
    for (; i + 8 <= key.length; i += 8) {
      h = Long.rotateLeft(h ^ mix((long) LONGS.get(key, i)), 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    for (int shift = 0; i < key.length; i++, shift += 8) {
      tail |= (key[i] & 0xffL) << shift;
    }
    return fmix(h ^ mix(tail));
  }

  private static long mix(long k) {
    return Long.rotateLeft(k * 0x87c37b91114253d5L, 31) * 0x4cf5ad432745937fL;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    return k ^ (k >>> 33);
  }

  /** The bit array; adds are atomic ORs, so the rebuild thread and a writer may add at once. */
  private static final class Bits {
    final long capacity;
    private final long[] words;
    private final long mask;

    Bits(long capacity) {
      long bits = Long.highestOneBit(Math.max(64, capacity * BITS_PER_KEY - 1)) << 1;
      if (bits / 64 > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a filter for " + capacity + " keys is too large");
      }
      this.words = new long[(int) (bits / 64)];
      this.mask = bits - 1;
      this.capacity = bits / BITS_PER_KEY;
    }

    void add(long h) {
      long step = fmix(h) | 1;
      for (int i = 0; i < PROBES; i++, h += step) {
        long bit = h & mask;
        WORDS.getAndBitwiseOr(words, (int) (bit >>> 6), 1L << bit);
      }
    }

    boolean contains(long h) {
      long step = fmix(h) | 1;
      for (int i = 0; i < PROBES; i++, h += step) {
        long bit = h & mask;
        if (((long) WORDS.getAcquire(words, (int) (bit >>> 6)) & (1L << bit)) == 0) {
          return false;
        }
      }
      return true;
    }
  }
}
