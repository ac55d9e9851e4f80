package dev.tally.lending.schedule;

import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import java.time.LocalDate;

/**
 * Everything a schedule is computed from. Repayments fall every {@code repaymentEvery} months from
 * {@code firstRepaymentDate}; the first period runs from {@code disbursementDate}.
 */
public record ScheduleTerms(
    Money principal,
    Rate rate,
    InterestMethod interestMethod,
    Amortization amortization,
    InterestPeriod interestPeriod,
    DaysInYear daysInYear,
    DaysInMonth daysInMonth,
    int repaymentEvery,
    int repayments,
    LocalDate disbursementDate,
    LocalDate firstRepaymentDate,
    Grace grace) {
  /** Most repayments one schedule may hold (100 years of monthly repayments). */
  public static final int MAX_REPAYMENTS = 1200;

  public static final int MAX_REPAYMENT_EVERY = 120;

  public ScheduleTerms {
    if (!principal.isPositive()) {
      throw new ScheduleException("principal must be > 0, got " + principal);
    }
    if (repayments < 1 || repayments > MAX_REPAYMENTS) {
      throw new ScheduleException(
          "number of repayments must be 1.." + MAX_REPAYMENTS + ", got " + repayments);
    }
    if (repaymentEvery < 1 || repaymentEvery > MAX_REPAYMENT_EVERY) {
      throw new ScheduleException(
          "repayment every N months must be 1.." + MAX_REPAYMENT_EVERY + ", got " + repaymentEvery);
    }
    if (!firstRepaymentDate.isAfter(disbursementDate)) {
      throw new ScheduleException(
          "first repayment date "
              + firstRepaymentDate
              + " must be after the disbursement date "
              + disbursementDate);
    }
    if (grace.principal() >= repayments) {
      throw new ScheduleException(
          "grace on principal ("
              + grace.principal()
              + ") must leave at least one of the "
              + repayments
              + " repayments to repay principal");
    }
    if (Math.max(grace.interestPayment(), grace.interestCharged()) >= repayments) {
      throw new ScheduleException("grace on interest must be shorter than the term");
    }
  }

  /** Monthly terms with no grace, declining balance, interest per repayment period. */
  public static ScheduleTerms monthly(
      Money principal,
      Rate rate,
      Amortization amortization,
      int repayments,
      LocalDate disbursementDate) {
    return new ScheduleTerms(
        principal,
        rate,
        InterestMethod.DECLINING_BALANCE,
        amortization,
        InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
        DaysInYear.ACTUAL,
        DaysInMonth.ACTUAL,
        1,
        repayments,
        disbursementDate,
        disbursementDate.plusMonths(1),
        Grace.NONE);
  }

  /** The due date of repayment {@code k} (1-based). */
  public LocalDate dueDate(int k) {
    return firstRepaymentDate.plusMonths((long) (k - 1) * repaymentEvery);
  }

  public ScheduleTerms withPrincipal(Money p) {
    return new ScheduleTerms(
        p,
        rate,
        interestMethod,
        amortization,
        interestPeriod,
        daysInYear,
        daysInMonth,
        repaymentEvery,
        repayments,
        disbursementDate,
        firstRepaymentDate,
        grace);
  }
}
