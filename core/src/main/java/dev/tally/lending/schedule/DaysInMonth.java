package dev.tally.lending.schedule;

/**
 * Days counted in a monthly period under daily interest: the actual calendar days, or 30 per month
 * (30/360 style).
 */
public enum DaysInMonth implements Coded {
  ACTUAL("actual"),
  DAYS_30("30");

  private final String code;

  DaysInMonth(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  public static DaysInMonth parse(String code) {
    return Coded.parse(DaysInMonth.class, "days in month", code);
  }
}
