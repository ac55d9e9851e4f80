package dev.tally.lending.schedule;

/**
 * The periodic rate: the annual rate per repayment period (annual / 12 × months), or a daily rate
 * times the days in the period.
 */
public enum InterestPeriod implements Coded {
  SAME_AS_REPAYMENT_PERIOD("same-as-repayment-period"),
  DAILY("daily");

  private final String code;

  InterestPeriod(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  public static InterestPeriod parse(String code) {
    return Coded.parse(InterestPeriod.class, "interest period", code);
  }
}
