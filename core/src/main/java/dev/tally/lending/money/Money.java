package dev.tally.lending.money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * An exact amount of one currency: a signed count of minor units (cents for EUR). Arithmetic fails
 * with {@link MoneyException} on overflow or on mixed currencies rather than wrap or round.
 *
 * @param currency the ISO 4217 currency
 * @param minor the amount in minor units
 */
public record Money(Currency currency, long minor) implements Comparable<Money> {
  /** Intermediate precision for every computation that is not exact (34 digits, IEEE 754-2008). */
  public static final MathContext MATH = MathContext.DECIMAL128;

  /** Fineract's default rounding, banker's rounding: ties go to the even neighbour. */
  public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

  public Money {
    if (currency == null) {
      throw new MoneyException("money needs a currency");
    }
  }

  public static Money of(Currency currency, long minor) {
    return new Money(currency, minor);
  }

  private static final java.util.regex.Pattern PLAIN =
      java.util.regex.Pattern.compile("-?[0-9]{1,38}(\\.[0-9]{1,38})?");

  public static Money zero(Currency currency) {
    return new Money(currency, 0);
  }

  /**
   * Parses a decimal amount of major units ({@code "10000.00"}, {@code "7"}) exactly: more decimal
   * places than the currency has are refused, not rounded.
   */
  public static Money parse(String amount, Currency currency) {
    String text = amount.strip();
    // Plain digits only: an exponent ("1e4") or a double's rendering is not an amount anyone typed,
    // and the length bound keeps the BigDecimal small whatever the input.
    if (!PLAIN.matcher(text).matches()) {
      throw new MoneyException(
          "amount \""
              + (text.length() > 48 ? text.substring(0, 48) + "…" : text)
              + "\" is not a plain decimal number such as 888.49 (digits, an optional point, no"
              + " exponent, at most 38 digits)");
    }
    BigDecimal major = new BigDecimal(text);
    BigDecimal minor = major.movePointRight(currency.exponent());
    if (minor.stripTrailingZeros().scale() > 0) {
      throw new MoneyException(
          "amount "
              + amount
              + " has more decimal places than "
              + currency
              + " allows ("
              + currency.exponent()
              + ")");
    }
    try {
      return new Money(currency, minor.longValueExact());
    } catch (ArithmeticException e) {
      throw new MoneyException(
          "amount " + amount + " " + currency + " overflows int64 minor units");
    }
  }

  /**
   * {@code value} minor units rounded HALF_EVEN to a whole minor unit.
   *
   * @throws MoneyException when the rounded value does not fit in int64
   */
  public static Money round(BigDecimal minorUnits, Currency currency) {
    BigDecimal r = minorUnits.setScale(0, ROUNDING);
    try {
      return new Money(currency, r.longValueExact());
    } catch (ArithmeticException e) {
      throw new MoneyException(
          "amount of " + r + " minor units of " + currency + " overflows int64 minor units");
    }
  }

  public Money plus(Money o) {
    same(o);
    try {
      return new Money(currency, Math.addExact(minor, o.minor));
    } catch (ArithmeticException e) {
      throw overflow(this, "+", o);
    }
  }

  public Money minus(Money o) {
    same(o);
    try {
      return new Money(currency, Math.subtractExact(minor, o.minor));
    } catch (ArithmeticException e) {
      throw overflow(this, "-", o);
    }
  }

  public Money times(long factor) {
    try {
      return new Money(currency, Math.multiplyExact(minor, factor));
    } catch (ArithmeticException e) {
      throw new MoneyException(this + " × " + factor + " overflows int64 minor units");
    }
  }

  public Money negate() {
    if (minor == Long.MIN_VALUE) {
      throw new MoneyException("-(" + this + ") overflows int64 minor units");
    }
    return new Money(currency, -minor);
  }

  public Money min(Money o) {
    same(o);
    return minor <= o.minor ? this : o;
  }

  public Money max(Money o) {
    same(o);
    return minor >= o.minor ? this : o;
  }

  public boolean isZero() {
    return minor == 0;
  }

  public boolean isNegative() {
    return minor < 0;
  }

  public boolean isPositive() {
    return minor > 0;
  }

  /** The minor units as an exact {@link BigDecimal} (scale 0). */
  public BigDecimal minorDecimal() {
    return BigDecimal.valueOf(minor);
  }

  /** The amount in major units, exact ({@code 10000.00}). */
  public BigDecimal major() {
    return currency.toMajor(minor);
  }

  @Override
  public int compareTo(Money o) {
    same(o);
    return Long.compare(minor, o.minor);
  }

  private void same(Money o) {
    if (!currency.equals(o.currency)) {
      throw new MoneyException("cannot combine " + currency + " with " + o.currency);
    }
  }

  private static MoneyException overflow(Money a, String op, Money b) {
    return new MoneyException(a + " " + op + " " + b + " overflows int64 minor units");
  }

  /** The amount and code, {@code "10000.00 EUR"}. */
  @Override
  public String toString() {
    return major().toPlainString() + " " + currency;
  }
}
