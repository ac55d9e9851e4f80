package dev.tally.lending.state;

import dev.tally.lending.money.Components;
import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;

/**
 * Money that moved for one part, by component (always non-negative; {@code kind} gives the
 * direction).
 */
public record CashFlow(
    Cid entry, LocalDate valueDate, String part, PartyId lender, Kind kind, Components amount) {
  /** What moved the money. */
  public enum Kind {
    DISBURSEMENT,
    REPAYMENT,
    RECOVERY,
    PART_SOLD,
    PART_BOUGHT
  }
}
