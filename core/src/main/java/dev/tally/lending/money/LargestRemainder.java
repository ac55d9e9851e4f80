package dev.tally.lending.money;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Splits a whole number of minor units over shares by the largest-remainder (Hamilton) method, so
 * the parts always sum to the whole: each share first gets the floor of its exact quota, then the
 * units left over go one each to the shares with the largest remainders, ties to the lower index.
 * Callers pass shares sorted by part id, which makes "ties by part id" the rule on every peer.
 */
public final class LargestRemainder {
  private LargestRemainder() {}

  /**
   * The split of {@code total} over {@code weights}; a negative total is split as its magnitude and
   * negated, so a reversal undoes exactly what the payment gave each part.
   *
   * @throws MoneyException when a weight is negative or all are zero
   */
  public static long[] split(long total, long[] weights) {
    if (weights.length == 0) {
      throw new MoneyException("cannot split an amount over no shares");
    }
    BigInteger sum = BigInteger.ZERO;
    for (long w : weights) {
      if (w < 0) {
        throw new MoneyException("share weights must be >= 0, got " + w);
      }
      sum = sum.add(BigInteger.valueOf(w));
    }
    if (sum.signum() == 0) {
      throw new MoneyException("cannot split an amount over shares that are all zero");
    }
    boolean negative = total < 0;
    BigInteger whole = BigInteger.valueOf(total).abs();
    int n = weights.length;
    BigInteger[] out = new BigInteger[n];
    BigInteger[] remainders = new BigInteger[n];
    BigInteger given = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      BigInteger[] qr = whole.multiply(BigInteger.valueOf(weights[i])).divideAndRemainder(sum);
      out[i] = qr[0];
      remainders[i] = qr[1];
      given = given.add(qr[0]);
    }
    int left = whole.subtract(given).intValueExact();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = remainders[b].compareTo(remainders[a]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    for (int k = 0; k < left; k++) {
      out[order[k]] = out[order[k]].add(BigInteger.ONE);
    }
    long[] parts = new long[n];
    for (int i = 0; i < n; i++) {
      // Every part's magnitude is at most |total|, so the signed part fits in a long.
      parts[i] = (negative ? out[i].negate() : out[i]).longValueExact();
    }
    return parts;
  }
}
