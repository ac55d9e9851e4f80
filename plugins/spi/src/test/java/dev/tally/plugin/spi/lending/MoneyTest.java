package dev.tally.plugin.spi.lending;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void printsMinorUnitsWithTheCurrencyExponent() {
    assertEquals("10000.00 EUR", new Money("EUR", 1_000_000, 2).toString());
    assertEquals("-0.05", new Money("EUR", -5, 2).amount());
    assertEquals("1500", new Money("JPY", 1500, 0).amount());
    assertEquals("1.234", new Money("BHD", 1234, 3).amount());
  }

  @Test
  void addsExactlyAndRefusesOverflowAndMixedCurrencies() {
    assertEquals(
        new Money("EUR", 88849, 2), new Money("EUR", 88800, 2).plus(new Money("EUR", 49, 2)));
    assertThrows(
        ArithmeticException.class,
        () -> new Money("EUR", Long.MAX_VALUE, 2).plus(new Money("EUR", 1, 2)));
    assertThrows(
        IllegalArgumentException.class, () -> new Money("EUR", 1, 2).plus(new Money("USD", 1, 2)));
  }

  @Test
  void refusesCodesThatAreNotAlpha3() {
    assertThrows(IllegalArgumentException.class, () -> new Money("eur", 1, 2));
    assertThrows(IllegalArgumentException.class, () -> new Money("EURO", 1, 2));
    assertThrows(IllegalArgumentException.class, () -> new Money("EUR", 1, -1));
  }
}
