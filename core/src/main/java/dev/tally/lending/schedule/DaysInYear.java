package dev.tally.lending.schedule;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The year length that turns an annual rate into a daily one: 360, 364 or 365 days, or the actual
 * length of each calendar year (365 or 366), counted day by day across a year boundary.
 */
public enum DaysInYear implements Coded {
  ACTUAL("actual", 0),
  DAYS_360("360", 360),
  DAYS_364("364", 364),
  DAYS_365("365", 365);

  private final String code;
  private final int days;

  DaysInYear(String code, int days) {
    this.code = code;
    this.days = days;
  }

  @Override
  public String code() {
    return code;
  }

  /** The fixed year length, or 365 for ACTUAL where a fixed figure is needed (the annuity). */
  public int nominalDays() {
    return days == 0 ? 365 : days;
  }

  /**
   * The fraction of a year between {@code from} (inclusive) and {@code to} (exclusive) under this
   * day count, as {@code Σ days / year length} with each day weighted by its own year for ACTUAL.
   */
  public java.math.BigDecimal yearFraction(LocalDate from, LocalDate to) {
    if (days != 0) {
      return java.math.BigDecimal.valueOf(ChronoUnit.DAYS.between(from, to))
          .divide(java.math.BigDecimal.valueOf(days), dev.tally.lending.money.Money.MATH);
    }
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    LocalDate at = from;
    while (at.isBefore(to)) {
      LocalDate yearEnd = LocalDate.of(at.getYear() + 1, 1, 1);
      LocalDate end = yearEnd.isBefore(to) ? yearEnd : to;
      sum =
          sum.add(
              java.math.BigDecimal.valueOf(ChronoUnit.DAYS.between(at, end))
                  .divide(
                      java.math.BigDecimal.valueOf(at.lengthOfYear()),
                      dev.tally.lending.money.Money.MATH),
              dev.tally.lending.money.Money.MATH);
      at = end;
    }
    return sum;
  }

  public static DaysInYear parse(String code) {
    return Coded.parse(DaysInYear.class, "days in year", code);
  }
}
