package dev.tally.lending.state;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Currency;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.record.LoanAgreed;
import dev.tally.lending.record.LoanRequested;
import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * One loan as the fold derived it, immutable. Figures that depend on the business date (days past
 * due, bucket) are computed at {@link #businessDate()}; {@link #at} gives them at another date.
 *
 * @param id the loan id: the CID of the entry holding its {@code LoanRequested}
 * @param status its Fineract status
 * @param borrower the requesting party
 * @param request the request as made
 * @param servicer the servicer, once agreed
 * @param contract the agreement, once effective
 * @param agreement the entry of the effective agreement
 * @param principal the agreed principal (before agreement: the requested amount)
 * @param rate the annual nominal rate (before agreement: the request's maximum)
 * @param disbursed principal paid out so far
 * @param disbursedOn value date of the first disbursement
 * @param schedule the installments with due, paid and waived amounts
 * @param parts lender parts in part id order
 * @param cashFlows money moved per part, in log order
 * @param transfers effective part transfers, in log order
 * @param offers open offers (not withdrawn), by entry
 * @param pending proposals about this loan waiting for consents
 * @param creditBalance overpaid money held for the borrower
 * @param recovered money recovered after a write-off
 * @param defaultDeclaredOn as-of date of a declared default (an overlay on status 300)
 * @param chargedOff whether the loan was charged off (an overlay on status 300)
 * @param flagged entries about this loan kept but not applied
 * @param graceOnArrearsAgeing days subtracted from days past due
 * @param businessDate the date {@link #daysPastDue()} is computed at
 */
public record LoanState(
    Cid id,
    LoanStatus status,
    PartyId borrower,
    LoanRequested request,
    Optional<PartyId> servicer,
    Optional<LoanAgreed> contract,
    Optional<Cid> agreement,
    Money principal,
    Rate rate,
    Money disbursed,
    Optional<LocalDate> disbursedOn,
    List<Installment> schedule,
    List<Part> parts,
    List<CashFlow> cashFlows,
    List<PartTransfer> transfers,
    List<Offer> offers,
    List<Proposal> pending,
    Money creditBalance,
    Money recovered,
    Optional<LocalDate> defaultDeclaredOn,
    boolean chargedOff,
    List<Cid> flagged,
    int graceOnArrearsAgeing,
    LocalDate businessDate) {

  /** An open offer. */
  public record Offer(Cid entry, PartyId lender, Money amount, Rate rate, LocalDate expiry) {}

  public LoanState {
    schedule = List.copyOf(schedule);
    parts = List.copyOf(parts);
    cashFlows = List.copyOf(cashFlows);
    transfers = List.copyOf(transfers);
    offers = List.copyOf(offers);
    pending = List.copyOf(pending);
    flagged = List.copyOf(flagged);
  }

  public Currency currency() {
    return principal.currency();
  }

  /** The same loan with date-dependent figures at {@code date}. */
  public LoanState at(LocalDate date) {
    LoanStatus s =
        status == LoanStatus.SUBMITTED && date.isAfter(request.expiry())
            ? LoanStatus.WITHDRAWN
            : status;
    return new LoanState(
        id,
        s,
        borrower,
        request,
        servicer,
        contract,
        agreement,
        principal,
        rate,
        disbursed,
        disbursedOn,
        schedule,
        parts,
        cashFlows,
        transfers,
        offers,
        pending,
        creditBalance,
        recovered,
        defaultDeclaredOn,
        chargedOff,
        flagged,
        graceOnArrearsAgeing,
        date);
  }

  /** What the borrower owes now, by component (zero before disbursement). */
  public Components outstanding() {
    Components sum = Components.zero(currency());
    if (disbursed.isZero()) {
      return sum;
    }
    for (Installment i : schedule) {
      sum = sum.plus(i.outstanding());
    }
    return sum;
  }

  /**
   * Interest each part has earned and is not yet due at the business date, in the order of {@link
   * #parts()} (see {@link Accrual} for the rule).
   */
  public List<Money> accruedInterest() {
    return Accrual.of(this);
  }

  /** What repayments settled so far, by component. */
  public Components paid() {
    Components sum = Components.zero(currency());
    for (Installment i : schedule) {
      sum = sum.plus(i.paid());
    }
    return sum;
  }

  /** The earliest installment not yet settled, once disbursed. */
  public Optional<Installment> nextDue() {
    if (status != LoanStatus.ACTIVE) {
      return Optional.empty();
    }
    return schedule.stream().filter(i -> !i.settled()).findFirst();
  }

  /** The due date of the oldest installment past due and not settled, at the business date. */
  public Optional<LocalDate> overdueSince() {
    if (status != LoanStatus.ACTIVE) {
      return Optional.empty();
    }
    return schedule.stream()
        .filter(i -> !i.settled() && i.dueDate().isBefore(businessDate))
        .map(Installment::dueDate)
        .findFirst();
  }

  /**
   * Days past due at the business date: from the due date of the oldest unsettled installment whose
   * due date has passed (due today is not overdue), less the grace on arrears ageing.
   */
  public int daysPastDue() {
    return overdueSince()
        .map(
            d -> (int) Math.max(0, ChronoUnit.DAYS.between(d, businessDate) - graceOnArrearsAgeing))
        .orElse(0);
  }

  /** The delinquency bucket of {@link #daysPastDue()} under {@code buckets}. */
  public String bucket(Buckets buckets) {
    return buckets.of(daysPastDue());
  }

  /** The delinquency bucket under the default buckets. */
  public String bucket() {
    return bucket(Buckets.DEFAULT);
  }
}
