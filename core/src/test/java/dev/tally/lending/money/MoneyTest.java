package dev.tally.lending.money;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
  private static final Currency EUR = Currency.of("EUR");

  @Test
  void exponentsComeFromTheShippedIso4217Table() {
    assertEquals(2, Currency.of("EUR").exponent());
    assertEquals(0, Currency.of("JPY").exponent());
    assertEquals(3, Currency.of("KWD").exponent());
    assertEquals(4, Currency.of("CLF").exponent());
    assertEquals(0, Currency.of("ISK").exponent());
  }

  @Test
  void refusesCurrenciesWithoutMinorUnitsAndUnknownCodes() {
    for (String code : new String[] {"XAU", "XDR", "XXX", "XTS", "XAG"}) {
      MoneyException e = assertThrows(MoneyException.class, () -> Currency.of(code));
      assertTrue(e.getMessage().contains("no minor units"), e.getMessage());
    }
    MoneyException e = assertThrows(MoneyException.class, () -> Currency.of("ABC"));
    assertTrue(e.getMessage().contains("unknown currency"), e.getMessage());
    assertThrows(MoneyException.class, () -> Currency.of("eur"));
  }

  @Test
  void parsesExactlyAndRefusesExtraDecimals() {
    assertEquals(1_000_000, Money.parse("10000.00", EUR).minor());
    assertEquals(1_000_000, Money.parse("10000", EUR).minor());
    assertEquals(5, Money.parse("0.05", EUR).minor());
    assertThrows(MoneyException.class, () -> Money.parse("0.005", EUR));
    assertThrows(MoneyException.class, () -> Money.parse("1e400", EUR));
    assertThrows(MoneyException.class, () -> Money.parse("ten", EUR));
    // A double's rendering or an exponent is not an amount: plain decimals only.
    assertThrows(MoneyException.class, () -> Money.parse("1e4", EUR));
    assertThrows(MoneyException.class, () -> Money.parse("1.0E4", EUR));
    assertThrows(MoneyException.class, () -> Money.parse("+5", EUR));
    assertThrows(MoneyException.class, () -> Money.parse("1,000.00", EUR));
    assertThrows(MoneyException.class, () -> Money.parse("9".repeat(100_000), EUR));
    assertEquals("10000.00 EUR", Money.parse("10000", EUR).toString());
  }

  @Test
  void arithmeticFailsOnOverflowInsteadOfWrapping() {
    Money max = Money.of(EUR, Long.MAX_VALUE);
    assertThrows(MoneyException.class, () -> max.plus(Money.of(EUR, 1)));
    assertThrows(MoneyException.class, () -> Money.of(EUR, Long.MIN_VALUE).minus(Money.of(EUR, 1)));
    assertThrows(MoneyException.class, () -> Money.of(EUR, Long.MIN_VALUE).negate());
    assertThrows(MoneyException.class, () -> max.times(2));
    assertThrows(MoneyException.class, () -> Money.parse("92233720368547758.08", EUR));
  }

  @Test
  void refusesMixingCurrencies() {
    assertThrows(
        MoneyException.class, () -> Money.of(EUR, 1).plus(Money.of(Currency.of("USD"), 1)));
  }

  @Test
  void roundsHalfEven() {
    assertEquals(2, Money.round(new BigDecimal("2.5"), EUR).minor());
    assertEquals(4, Money.round(new BigDecimal("3.5"), EUR).minor());
    assertEquals(-2, Money.round(new BigDecimal("-2.5"), EUR).minor());
    assertEquals(3, Money.round(new BigDecimal("2.5000001"), EUR).minor());
  }

  @Test
  void ratesAreExactMillionths() {
    assertEquals(120_000, Rate.parsePercent("12").millionths());
    assertEquals(125_000, Rate.parsePercent("12.5").millionths());
    assertEquals(1, Rate.parsePercent("0.0001").millionths());
    assertThrows(MoneyException.class, () -> Rate.parsePercent("0.00001"));
    assertThrows(MoneyException.class, () -> Rate.parsePercent("-1"));
    assertThrows(MoneyException.class, () -> Rate.parsePercent("1001"));
    assertEquals("12 %", Rate.ofMillionths(120_000).toString());
  }

  @Test
  void largestRemainderGivesLeftoverUnitsToLargestRemaindersThenLowerIndex() {
    // 100 over 1:1:1 → 33.33… each; one unit left goes to the first (tie on remainder).
    assertArrayEquals(new long[] {34, 33, 33}, LargestRemainder.split(100, new long[] {1, 1, 1}));
    // 10 over 60:25:15 → 6, 2.5, 1.5: remainders .5 and .5 tie; index 1 before index 2.
    assertArrayEquals(new long[] {6, 3, 1}, LargestRemainder.split(10, new long[] {60, 25, 15}));
    assertArrayEquals(
        new long[] {-34, -33, -33}, LargestRemainder.split(-100, new long[] {1, 1, 1}));
    assertArrayEquals(new long[] {0, 7}, LargestRemainder.split(7, new long[] {0, 5}));
    assertThrows(MoneyException.class, () -> LargestRemainder.split(7, new long[] {0, 0}));
  }
}
