package dev.tally.lending.schedule;

/**
 * Grace periods, counted in repayment periods from the first: no principal is due during {@code
 * principal}; interest accrues but is collected in the first period after {@code interestPayment};
 * no interest accrues at all during {@code interestCharged} (Fineract's three graces).
 */
public record Grace(int principal, int interestPayment, int interestCharged) {
  public static final Grace NONE = new Grace(0, 0, 0);

  public Grace {
    if (principal < 0 || interestPayment < 0 || interestCharged < 0) {
      throw new ScheduleException("grace periods must be >= 0");
    }
  }

  public boolean isNone() {
    return principal == 0 && interestPayment == 0 && interestCharged == 0;
  }
}
