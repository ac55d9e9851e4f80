package dev.tally.unixfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bit stream a HAMT consumes for one entry name: murmur3-x64-64 of the name, read most
 * significant bit first; once its 64 bits are used up, the name with the round number appended is
 * hashed again (as go-unixfs and js hamt-sharding do).
 */
final class HamtHash {
  private final byte[] key;
  private long current;
  private int bitsLeft;
  private int round;

  HamtHash(String name) {
    this(name.getBytes(StandardCharsets.UTF_8));
  }

  HamtHash(byte[] key) {
    this.key = key;
    this.current = Murmur3.x64Hash64(key);
    this.bitsLeft = 64;
  }

  /** The slot of this name in a shard at {@code level} of a HAMT with the given bit width. */
  static int slot(String name, int level, int bitsPerLevel) {
    HamtHash hash = new HamtHash(name);
    for (int i = 0; i < level; i++) {
      hash.take(bitsPerLevel);
    }
    return hash.take(bitsPerLevel);
  }

  int take(int bits) {
    int result = 0;
    while (bits > 0) {
      if (bitsLeft == 0) {
        round++;
        byte[] next = Arrays.copyOf(key, key.length + 1);
        next[key.length] = (byte) round;
        current = Murmur3.x64Hash64(next);
        bitsLeft = 64;
      }
      int n = Math.min(bits, bitsLeft);
      int part = (int) ((current >>> (bitsLeft - n)) & ((1L << n) - 1));
      result = (result << n) | part;
      bitsLeft -= n;
      bits -= n;
    }
    return result;
  }
}
