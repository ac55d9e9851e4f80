package dev.tally.lending.money;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class LargestRemainderProperties {
  @Property
  void partsAlwaysSumToTheWhole(
      @ForAll long total, @ForAll @Size(min = 1, max = 20) List<@LongRange(min = 1) Long> shares) {
    long[] parts = LargestRemainder.split(total, array(shares));
    BigInteger sum = BigInteger.ZERO;
    for (long p : parts) {
      sum = sum.add(BigInteger.valueOf(p));
    }
    assertEquals(BigInteger.valueOf(total), sum);
  }

  @Property
  void eachPartIsWithinOneUnitOfItsExactQuota(
      @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long total,
      @ForAll @Size(min = 1, max = 20)
          List<@LongRange(min = 1, max = 1_000_000_000L) Long> shares) {
    long[] weights = array(shares);
    long[] parts = LargestRemainder.split(total, weights);
    BigInteger w = BigInteger.ZERO;
    for (long x : weights) {
      w = w.add(BigInteger.valueOf(x));
    }
    for (int i = 0; i < parts.length; i++) {
      BigInteger exact = BigInteger.valueOf(total).abs().multiply(BigInteger.valueOf(weights[i]));
      BigInteger lower = exact.divide(w);
      BigInteger got = BigInteger.valueOf(Math.abs(parts[i]));
      assertTrue(got.equals(lower) || got.equals(lower.add(BigInteger.ONE)));
    }
  }

  private static long[] array(List<Long> shares) {
    return shares.stream().mapToLong(Long::longValue).toArray();
  }
}
