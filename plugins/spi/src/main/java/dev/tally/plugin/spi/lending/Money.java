package dev.tally.plugin.spi.lending;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * An amount: integer minor units of an ISO 4217 currency, with the currency's exponent (2 for EUR,
 * 0 for JPY, 3 for BHD) so it can be printed. Never a float. Arithmetic is exact and fails on
 * overflow or on mixed currencies.
 */
public record Money(String currency, long minor, int exponent) {
  private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

  public Money {
    if (!CODE.matcher(currency).matches()) {
      throw new IllegalArgumentException(
          "currency must be an ISO 4217 alpha-3 code such as EUR, got \"" + currency + "\"");
    }
    if (exponent < 0 || exponent > 9) {
      throw new IllegalArgumentException(
          "currency exponent must be 0..9, got " + exponent + " for " + currency);
    }
  }

  public static Money zero(String currency, int exponent) {
    return new Money(currency, 0, exponent);
  }

  public boolean isZero() {
    return minor == 0;
  }

  public Money plus(Money other) {
    same(other);
    return new Money(currency, Math.addExact(minor, other.minor), exponent);
  }

  public Money minus(Money other) {
    same(other);
    return new Money(currency, Math.subtractExact(minor, other.minor), exponent);
  }

  /** The decimal amount without the currency, e.g. {@code 10000.00}. */
  public String amount() {
    return BigDecimal.valueOf(minor, exponent).toPlainString();
  }

  private void same(Money other) {
    if (!currency.equals(other.currency) || exponent != other.exponent) {
      throw new IllegalArgumentException(
          "cannot combine " + this + " with " + other + ": different currencies");
    }
  }

  /** {@code 10000.00 EUR}. */
  @Override
  public String toString() {
    return amount() + " " + currency;
  }
}
