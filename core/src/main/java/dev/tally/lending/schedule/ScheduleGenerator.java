package dev.tally.lending.schedule;

import static dev.tally.lending.money.Money.MATH;

import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates schedules the way Fineract's loan schedule generators do, in exact decimal maths: every
 * amount is computed in minor units with DECIMAL128 precision and rounded once, HALF_EVEN, to a
 * whole minor unit. No {@code double} and no {@code Math.pow} anywhere, so every peer gets the same
 * cent. The last row always takes the remaining balance as principal and so absorbs rounding.
 */
public final class ScheduleGenerator {
  private static final BigDecimal TWELVE = BigDecimal.valueOf(12);
  private static final BigDecimal THIRTY = BigDecimal.valueOf(30);

  private ScheduleGenerator() {}

  /** The schedule of {@code terms}. */
  public static Schedule generate(ScheduleTerms terms) {
    return new Schedule(terms.principal(), rows(terms, 1));
  }

  /**
   * The schedule after a reschedule: rows of {@code current} due before {@code change.from()} are
   * kept; the principal they leave is scheduled anew from the first row due on or after it.
   *
   * @throws ScheduleException when no row is left to reschedule
   */
  public static Schedule reschedule(Schedule current, ScheduleTerms terms, RescheduleTerms change) {
    List<Installment> kept = new ArrayList<>();
    for (Installment r : current.rows()) {
      if (r.due().isBefore(change.from())) {
        kept.add(r);
      }
    }
    int remaining = current.rows().size() - kept.size();
    if (remaining == 0) {
      throw new ScheduleException(
          "every installment is due before " + change.from() + "; nothing is left to reschedule");
    }
    Money balance = kept.isEmpty() ? current.principal() : kept.get(kept.size() - 1).balance();
    if (!balance.isPositive()) {
      throw new ScheduleException("no principal is left to reschedule after " + change.from());
    }
    LocalDate start = kept.isEmpty() ? terms.disbursementDate() : kept.get(kept.size() - 1).due();
    ScheduleTerms next =
        new ScheduleTerms(
            balance,
            change.newRate().orElse(terms.rate()),
            terms.interestMethod(),
            terms.amortization(),
            terms.interestPeriod(),
            terms.daysInYear(),
            terms.daysInMonth(),
            terms.repaymentEvery(),
            remaining + change.extraPeriods(),
            start,
            current.rows().get(kept.size()).due(),
            change.grace());
    List<Installment> rows = new ArrayList<>(kept);
    rows.addAll(rows(next, kept.size() + 1));
    return new Schedule(current.principal(), rows);
  }

  private static List<Installment> rows(ScheduleTerms t, int firstNumber) {
    Currency cur = t.principal().currency();
    int n = t.repayments();
    Grace g = t.grace();
    int principalPeriods = n - g.principal();
    LocalDate[] from = new LocalDate[n + 1];
    LocalDate[] due = new LocalDate[n + 1];
    BigDecimal[] rate = new BigDecimal[n + 1];
    // Interest per repayment period gives every period the same rate: compute it once.
    BigDecimal same =
        t.interestPeriod() == InterestPeriod.SAME_AS_REPAYMENT_PERIOD
            ? periodicRate(t, t.disbursementDate(), t.firstRepaymentDate())
            : null;
    for (int k = 1; k <= n; k++) {
      from[k] = k == 1 ? t.disbursementDate() : due[k - 1];
      due[k] = t.dueDate(k);
      rate[k] = same != null ? same : periodicRate(t, from[k], due[k]);
    }
    return t.interestMethod() == InterestMethod.FLAT
        ? flat(t, cur, n, principalPeriods, from, due, rate, firstNumber)
        : declining(t, cur, n, principalPeriods, from, due, rate, firstNumber);
  }

  private static List<Installment> declining(
      ScheduleTerms t,
      Currency cur,
      int n,
      int principalPeriods,
      LocalDate[] from,
      LocalDate[] due,
      BigDecimal[] rate,
      int firstNumber) {
    Grace g = t.grace();
    Money balance = t.principal();
    Money annuity =
        t.amortization() == Amortization.EQUAL_INSTALLMENTS
            ? annuity(t.principal(), annuityRate(t), principalPeriods)
            : Money.round(
                t.principal().minorDecimal().divide(BigDecimal.valueOf(principalPeriods), MATH),
                cur);
    Money deferred = Money.zero(cur);
    List<Installment> out = new ArrayList<>(n);
    for (int k = 1; k <= n; k++) {
      Money interest =
          k <= g.interestCharged()
              ? Money.zero(cur)
              : Money.round(balance.minorDecimal().multiply(rate[k], MATH), cur);
      Money interestDue;
      if (k <= g.interestPayment()) {
        deferred = deferred.plus(interest);
        interestDue = Money.zero(cur);
      } else {
        interestDue = interest.plus(deferred);
        deferred = Money.zero(cur);
      }
      Money principal;
      if (k == n) {
        principal = balance;
      } else if (k <= g.principal()) {
        principal = Money.zero(cur);
      } else if (t.amortization() == Amortization.EQUAL_INSTALLMENTS) {
        principal = clamp(annuity.minus(interest), balance);
      } else {
        principal = clamp(annuity, balance);
      }
      balance = balance.minus(principal);
      out.add(
          new Installment(firstNumber + k - 1, from[k], due[k], principal, interestDue, balance));
    }
    return out;
  }

  private static List<Installment> flat(
      ScheduleTerms t,
      Currency cur,
      int n,
      int principalPeriods,
      LocalDate[] from,
      LocalDate[] due,
      BigDecimal[] rate,
      int firstNumber) {
    Grace g = t.grace();
    BigDecimal rateSum = BigDecimal.ZERO;
    for (int k = g.interestCharged() + 1; k <= n; k++) {
      rateSum = rateSum.add(rate[k], MATH);
    }
    Money totalInterest = Money.round(t.principal().minorDecimal().multiply(rateSum, MATH), cur);
    int interestFree = Math.max(g.interestCharged(), g.interestPayment());
    int interestPeriods = n - interestFree;
    Money interestEach =
        Money.round(
            totalInterest.minorDecimal().divide(BigDecimal.valueOf(interestPeriods), MATH), cur);
    Money principalEach =
        Money.round(
            t.principal().minorDecimal().divide(BigDecimal.valueOf(principalPeriods), MATH), cur);
    if (t.amortization() == Amortization.EQUAL_INSTALLMENTS && g.isNone()) {
      // Fineract rounds the whole installment, then takes interest out of it.
      Money installment =
          Money.round(
              t.principal().plus(totalInterest).minorDecimal().divide(BigDecimal.valueOf(n), MATH),
              cur);
      principalEach = installment.minus(interestEach);
    }
    Money balance = t.principal();
    Money interestLeft = totalInterest;
    List<Installment> out = new ArrayList<>(n);
    for (int k = 1; k <= n; k++) {
      Money interest =
          k <= interestFree
              ? Money.zero(cur)
              : k == n ? interestLeft : interestEach.min(interestLeft);
      Money principal =
          k == n ? balance : k <= g.principal() ? Money.zero(cur) : clamp(principalEach, balance);
      balance = balance.minus(principal);
      interestLeft = interestLeft.minus(interest);
      out.add(new Installment(firstNumber + k - 1, from[k], due[k], principal, interest, balance));
    }
    return out;
  }

  private static Money clamp(Money m, Money balance) {
    return m.isNegative() ? Money.zero(m.currency()) : m.min(balance);
  }

  /** A = P·r / (1 − (1+r)^−n), rounded; P/n when the rate is zero. */
  static Money annuity(Money principal, BigDecimal r, int n) {
    BigDecimal p = principal.minorDecimal();
    if (r.signum() == 0) {
      return Money.round(p.divide(BigDecimal.valueOf(n), MATH), principal.currency());
    }
    BigDecimal growth = BigDecimal.ONE.add(r, MATH).pow(n, MATH);
    BigDecimal discount = BigDecimal.ONE.subtract(BigDecimal.ONE.divide(growth, MATH), MATH);
    return Money.round(p.multiply(r, MATH).divide(discount, MATH), principal.currency());
  }

  /**
   * The rate of one period {@code from}..{@code to}: the annual rate / 12 × months for interest per
   * repayment period; the annual rate × the year fraction for daily interest, where a month counts
   * 30 days under DAYS_30.
   */
  static BigDecimal periodicRate(ScheduleTerms t, LocalDate from, LocalDate to) {
    BigDecimal annual = t.rate().fraction();
    if (t.interestPeriod() == InterestPeriod.SAME_AS_REPAYMENT_PERIOD) {
      return annual.multiply(BigDecimal.valueOf(t.repaymentEvery()), MATH).divide(TWELVE, MATH);
    }
    if (t.daysInMonth() == DaysInMonth.DAYS_30) {
      // As Fineract: a period of N months counts N × 30 days whatever the calendar says.
      BigDecimal days = THIRTY.multiply(BigDecimal.valueOf(t.repaymentEvery()), MATH);
      return annual
          .multiply(days, MATH)
          .divide(BigDecimal.valueOf(t.daysInYear().nominalDays()), MATH);
    }
    return annual.multiply(t.daysInYear().yearFraction(from, to), MATH);
  }

  /**
   * The rate the annuity is computed with under daily interest, where periods differ in length: a
   * standard period (30-day months, or a twelfth of a year per month); the last row absorbs the
   * difference between it and the actual periods.
   */
  private static BigDecimal annuityRate(ScheduleTerms t) {
    BigDecimal annual = t.rate().fraction();
    BigDecimal every = BigDecimal.valueOf(t.repaymentEvery());
    if (t.interestPeriod() == InterestPeriod.DAILY && t.daysInMonth() == DaysInMonth.DAYS_30) {
      return annual
          .multiply(THIRTY.multiply(every), MATH)
          .divide(BigDecimal.valueOf(t.daysInYear().nominalDays()), MATH);
    }
    return annual.multiply(every, MATH).divide(TWELVE, MATH);
  }
}
