package dev.tally.lending.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule vectors of RECORDS.md: 10,000.00 EUR at 12 % over 12 monthly repayments. */
class ScheduleVectorsTest {
  private static final Currency EUR = Currency.of("EUR");
  private static final LocalDate DISBURSED = LocalDate.of(2026, 1, 15);

  private static Schedule schedule(Amortization method) {
    return ScheduleGenerator.generate(
        ScheduleTerms.monthly(
            Money.parse("10000.00", EUR), Rate.parsePercent("12"), method, 12, DISBURSED));
  }

  private static String amount(Money m) {
    return m.major().toPlainString();
  }

  @Test
  void equalInstallmentsMatchTheRecordsVector() {
    Schedule s = schedule(Amortization.EQUAL_INSTALLMENTS);
    List<Installment> rows = s.rows();
    assertEquals(12, rows.size());
    assertEquals("888.49", amount(rows.get(0).total()));
    assertEquals("100.00", amount(rows.get(0).interest()));
    assertEquals("92.12", amount(rows.get(1).interest()));
    assertEquals("84.15", amount(rows.get(2).interest()));
    assertEquals("9211.51", amount(rows.get(0).balance()));
    assertEquals("8415.14", amount(rows.get(1).balance()));
    assertEquals("7610.80", amount(rows.get(2).balance()));
    for (int k = 0; k < 11; k++) {
      assertEquals("888.49", amount(rows.get(k).total()), "installment " + (k + 1));
    }
    assertEquals("888.47", amount(s.last().total()));
    assertEquals("661.86", amount(s.totalInterest()));
    assertEquals("0.00", amount(s.last().balance()));
    assertEquals("10000.00", amount(s.totalPrincipal()));
  }

  @Test
  void equalPrincipalMatchesTheRecordsVector() {
    Schedule s = schedule(Amortization.EQUAL_PRINCIPAL);
    assertEquals("833.33", amount(s.first().principal()));
    assertEquals("933.33", amount(s.first().total()));
    assertEquals("841.70", amount(s.last().total()));
    assertEquals("650.00", amount(s.totalInterest()));
    assertEquals("10000.00", amount(s.totalPrincipal()));
  }

  @Test
  void dueDatesFollowTheFirstRepaymentDateMonthByMonth() {
    Schedule s = schedule(Amortization.EQUAL_INSTALLMENTS);
    assertEquals(LocalDate.of(2026, 2, 15), s.first().due());
    assertEquals(DISBURSED, s.first().from());
    assertEquals(LocalDate.of(2027, 1, 15), s.last().due());
  }

  private static ScheduleTerms terms(
      InterestMethod method,
      Amortization am,
      InterestPeriod period,
      DaysInYear diy,
      DaysInMonth dim,
      Grace grace) {
    return new ScheduleTerms(
        Money.parse("10000.00", EUR),
        Rate.parsePercent("12"),
        method,
        am,
        period,
        diy,
        dim,
        1,
        12,
        DISBURSED,
        DISBURSED.plusMonths(1),
        grace);
  }

  @Test
  void dailyInterestOn30Over360EqualsInterestPerPeriod() {
    Schedule daily =
        ScheduleGenerator.generate(
            terms(
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_INSTALLMENTS,
                InterestPeriod.DAILY,
                DaysInYear.DAYS_360,
                DaysInMonth.DAYS_30,
                Grace.NONE));
    // 30/360 makes each month exactly 1 % at 12 %: the RECORDS vector again.
    assertEquals("888.49", amount(daily.first().total()));
    assertEquals("661.86", amount(daily.totalInterest()));
  }

  @Test
  void dailyActualOver365ChargesTheCalendarDaysOfEachPeriod() {
    Schedule s =
        ScheduleGenerator.generate(
            terms(
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_PRINCIPAL,
                InterestPeriod.DAILY,
                DaysInYear.DAYS_365,
                DaysInMonth.ACTUAL,
                Grace.NONE));
    // 15 Jan - 15 Feb 2026 is 31 days: 10,000.00 × 0.12 × 31 / 365 = 101.9178… → 101.92.
    assertEquals("101.92", amount(s.first().interest()));
    // 15 Feb - 15 Mar 2026 is 28 days on 9,166.67: × 0.12 × 28 / 365 = 84.3836… → 84.38.
    assertEquals("84.38", amount(s.rows().get(1).interest()));
  }

  @Test
  void actualActualSplitsAPeriodAcrossALeapYearBoundary() {
    ScheduleTerms t =
        new ScheduleTerms(
            Money.parse("3660.00", EUR),
            Rate.parsePercent("10"),
            InterestMethod.DECLINING_BALANCE,
            Amortization.EQUAL_PRINCIPAL,
            InterestPeriod.DAILY,
            DaysInYear.ACTUAL,
            DaysInMonth.ACTUAL,
            1,
            2,
            LocalDate.of(2027, 12, 17),
            LocalDate.of(2028, 1, 17),
            Grace.NONE);
    // 15 days of 2027 (/365) and 16 of 2028 (/366): 3660 × 0.1 × (15/365 + 16/366) = 31.0410… →
    // 31.04
    assertEquals("31.04", amount(ScheduleGenerator.generate(t).first().interest()));
  }

  @Test
  void flatInterestIsChargedOnTheOriginalPrincipal() {
    Schedule s =
        ScheduleGenerator.generate(
            terms(
                InterestMethod.FLAT,
                Amortization.EQUAL_INSTALLMENTS,
                InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
                DaysInYear.ACTUAL,
                DaysInMonth.ACTUAL,
                Grace.NONE));
    // 10,000.00 × 1 % × 12 = 1,200.00; (10,000 + 1,200) / 12 = 933.33 each, last 933.37.
    assertEquals("1200.00", amount(s.totalInterest()));
    assertEquals("933.33", amount(s.first().total()));
    assertEquals("100.00", amount(s.first().interest()));
    assertEquals("933.37", amount(s.last().total()));
  }

  @Test
  void graceOnPrincipalChargesInterestOnlyThenAmortisesOverTheRest() {
    Schedule s =
        ScheduleGenerator.generate(
            terms(
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_PRINCIPAL,
                InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
                DaysInYear.ACTUAL,
                DaysInMonth.ACTUAL,
                new Grace(2, 0, 0)));
    assertEquals("0.00", amount(s.rows().get(0).principal()));
    assertEquals("100.00", amount(s.rows().get(0).interest()));
    assertEquals("0.00", amount(s.rows().get(1).principal()));
    // 10,000.00 / 10 principal periods.
    assertEquals("1000.00", amount(s.rows().get(2).principal()));
  }

  @Test
  void graceOnInterestPaymentDefersInterestToTheFirstPeriodAfterIt() {
    Schedule s =
        ScheduleGenerator.generate(
            terms(
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_PRINCIPAL,
                InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
                DaysInYear.ACTUAL,
                DaysInMonth.ACTUAL,
                new Grace(0, 1, 0)));
    assertEquals("0.00", amount(s.rows().get(0).interest()));
    // 100.00 deferred from period 1 plus 91.67 on 9,166.67.
    assertEquals("191.67", amount(s.rows().get(1).interest()));
    assertEquals("650.00", amount(s.totalInterest()));
  }

  @Test
  void interestFreeGraceChargesNoInterest() {
    Schedule s =
        ScheduleGenerator.generate(
            terms(
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_PRINCIPAL,
                InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
                DaysInYear.ACTUAL,
                DaysInMonth.ACTUAL,
                new Grace(0, 0, 1)));
    assertEquals("0.00", amount(s.rows().get(0).interest()));
    assertEquals("550.00", amount(s.totalInterest()));
  }

  @Test
  void rescheduleKeepsPastRowsAndSpreadsTheRestOverMorePeriods() {
    ScheduleTerms t =
        terms(
            InterestMethod.DECLINING_BALANCE,
            Amortization.EQUAL_PRINCIPAL,
            InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
            DaysInYear.ACTUAL,
            DaysInMonth.ACTUAL,
            Grace.NONE);
    Schedule before = ScheduleGenerator.generate(t);
    Schedule after =
        ScheduleGenerator.reschedule(
            before,
            t,
            new RescheduleTerms(
                LocalDate.of(2026, 7, 1),
                6,
                java.util.Optional.of(Rate.parsePercent("6")),
                Grace.NONE));
    assertEquals(18, after.rows().size());
    assertEquals(before.rows().subList(0, 5), after.rows().subList(0, 5));
    // 10,000.00 - 5 × 833.33 = 5,833.35 over 13 periods at 0.5 %: 448.72 principal, 29.17 interest.
    assertEquals("448.72", amount(after.rows().get(5).principal()));
    assertEquals("29.17", amount(after.rows().get(5).interest()));
    assertEquals(6, after.rows().get(5).number());
    assertEquals("10000.00", amount(after.totalPrincipal()));
  }

  @Test
  void refusesGraceThatLeavesNoPrincipalPeriod() {
    assertThrows(
        ScheduleException.class,
        () ->
            terms(
                InterestMethod.DECLINING_BALANCE,
                Amortization.EQUAL_PRINCIPAL,
                InterestPeriod.SAME_AS_REPAYMENT_PERIOD,
                DaysInYear.ACTUAL,
                DaysInMonth.ACTUAL,
                new Grace(12, 0, 0)));
  }
}
