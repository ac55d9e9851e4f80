package dev.tally.plugin.spi.lending;

import java.time.LocalDate;
import java.util.Optional;

/**
 * One row of a loan's repayment schedule.
 *
 * @param number 1 for the first installment
 * @param dueDate when it falls due
 * @param due what the schedule asks for (charges applied to it included)
 * @param paid what repayments have settled of it so far
 * @param waived what was waived of it
 * @param outstanding what remains of it
 * @param settledOn the value date of the payment that settled it, once settled
 */
public record Installment(
    int number,
    LocalDate dueDate,
    Components due,
    Components paid,
    Components waived,
    Components outstanding,
    Optional<LocalDate> settledOn) {
  public boolean settled() {
    return outstanding.isZero();
  }
}
