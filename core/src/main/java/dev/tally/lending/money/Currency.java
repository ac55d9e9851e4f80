package dev.tally.lending.money;

import java.math.BigDecimal;

/**
 * An ISO 4217 currency with minor units: its alphabetic code and its exponent (2 for EUR: 1 EUR is
 * 100 minor units). Only {@link Currencies} makes them, from the table shipped with Tally.
 *
 * @param code the alphabetic code, three upper-case ASCII letters
 * @param exponent the number of decimal places of the minor unit, 0..4
 */
public record Currency(String code, int exponent) implements Comparable<Currency> {
  public Currency {
    if (code == null || !code.matches("[A-Z]{3}")) {
      throw new MoneyException("currency code must be three upper-case letters, got " + code);
    }
    if (exponent < 0 || exponent > 4) {
      throw new MoneyException("currency exponent must be 0..4, got " + exponent);
    }
  }

  /** The ISO 4217 currency {@code code}; see {@link Currencies#of}. */
  public static Currency of(String code) {
    return Currencies.of(code);
  }

  /** {@code minor} minor units as a decimal amount of major units (exact). */
  public BigDecimal toMajor(long minor) {
    return BigDecimal.valueOf(minor, exponent);
  }

  @Override
  public int compareTo(Currency o) {
    return code.compareTo(o.code);
  }

  @Override
  public String toString() {
    return code;
  }
}
