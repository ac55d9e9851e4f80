package dev.tally.plugin.spi.lending;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One loan as the lending state derived it from the verified log.
 *
 * @param id the loan id (the CID of the record that opened it)
 * @param status its Fineract status
 * @param borrower the borrower's party id
 * @param servicer the servicer's party id, once agreed
 * @param currency ISO 4217 code of every amount of the loan
 * @param principal the agreed (or, before agreement, requested) principal
 * @param annualRateMillionths the annual nominal rate in millionths (12 % = 120000)
 * @param disbursed principal disbursed so far
 * @param disbursedOn the value date of the first disbursement
 * @param outstanding what the borrower owes now, by component
 * @param schedule the repayment schedule (empty before agreement)
 * @param parts the lender parts, in part id order
 * @param cashFlows money moved per part, oldest first
 * @param transfers secondary-market sales of parts, oldest first
 * @param daysPastDue days past due at the business date (0 when nothing is overdue)
 * @param overdueSince the due date of the oldest installment past due and not settled
 * @param flagged CIDs of entries about this loan that were kept but not applied
 */
public record Loan(
    String id,
    LoanStatus status,
    String borrower,
    Optional<String> servicer,
    String currency,
    Money principal,
    long annualRateMillionths,
    Money disbursed,
    Optional<LocalDate> disbursedOn,
    Components outstanding,
    List<Installment> schedule,
    List<Part> parts,
    List<CashFlow> cashFlows,
    List<PartTransfer> transfers,
    int daysPastDue,
    Optional<LocalDate> overdueSince,
    List<String> flagged) {
  public Loan {
    schedule = List.copyOf(schedule);
    parts = List.copyOf(parts);
    cashFlows = List.copyOf(cashFlows);
    transfers = List.copyOf(transfers);
    flagged = List.copyOf(flagged);
    if (daysPastDue < 0) {
      throw new IllegalArgumentException("days past due cannot be negative: " + daysPastDue);
    }
  }

  /** The earliest installment not yet settled (overdue or not), if any. */
  public Optional<Installment> nextDue() {
    return schedule.stream().filter(i -> !i.settled()).findFirst();
  }
}
