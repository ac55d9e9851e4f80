package dev.tally.bench;

import java.util.SplittableRandom;

/** Seeded inputs, so every run and every implementation sees the same bytes. */
final class BenchData {
  private BenchData() {}

  static byte[] randomBytes(int size, SplittableRandom random) {
    byte[] b = new byte[size];
    fill(b, 0, size, random);
    return b;
  }

  static void fill(byte[] b, int off, int len, SplittableRandom random) {
    int end = off + len;
    int i = off;
    while (i < end) {
      long v = random.nextLong();
      for (int k = 0; k < 8 && i < end; k++, i++) {
        b[i] = (byte) v;
        v >>>= 8;
      }
    }
  }
}
