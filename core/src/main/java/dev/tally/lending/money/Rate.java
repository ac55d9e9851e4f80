package dev.tally.lending.money;

import java.math.BigDecimal;

/**
 * An annual nominal interest rate, exact, in millionths: 12 % is {@code 120000}. Never negative; at
 * most 1000 % (a bound that keeps every product of a rate and an amount far inside DECIMAL128).
 *
 * @param millionths the rate as a fraction times one million
 */
public record Rate(long millionths) implements Comparable<Rate> {
  public static final long MAX = 10_000_000;

  public Rate {
    if (millionths < 0 || millionths > MAX) {
      throw new MoneyException(
          "rate " + millionths + " millionths is outside 0..1000 % (0.." + MAX + ")");
    }
  }

  public static Rate ofMillionths(long millionths) {
    return new Rate(millionths);
  }

  /** A rate from a percentage text, exact: {@code "12"} or {@code "12.5"} (at most 4 decimals). */
  public static Rate parsePercent(String percent) {
    BigDecimal p;
    try {
      p = new BigDecimal(percent.strip());
    } catch (NumberFormatException e) {
      throw new MoneyException("rate \"" + percent + "\" is not a decimal percentage");
    }
    BigDecimal m = p.movePointRight(4);
    if (m.stripTrailingZeros().scale() > 0) {
      throw new MoneyException("rate " + percent + " % has more than 4 decimal places");
    }
    if (m.compareTo(BigDecimal.valueOf(MAX)) > 0 || m.signum() < 0) {
      throw new MoneyException("rate " + percent + " % is outside 0..1000 %");
    }
    return new Rate(m.longValueExact());
  }

  /** The rate as an exact fraction ({@code 0.12}). */
  public BigDecimal fraction() {
    return BigDecimal.valueOf(millionths, 6);
  }

  public boolean isZero() {
    return millionths == 0;
  }

  @Override
  public int compareTo(Rate o) {
    return Long.compare(millionths, o.millionths);
  }

  /** The percentage, {@code "12 %"}. */
  @Override
  public String toString() {
    return BigDecimal.valueOf(millionths, 4).stripTrailingZeros().toPlainString() + " %";
  }
}
