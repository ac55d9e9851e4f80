package dev.tally.lending.state;

import dev.tally.lending.money.Components;
import java.time.LocalDate;
import java.util.Optional;

/**
 * One row of a loan's schedule as the log has settled it so far.
 *
 * @param number 1 for the first installment
 * @param from the start of its period
 * @param dueDate when it falls due
 * @param due what it asks for, charges applied to it included
 * @param paid what repayments settled of it
 * @param waived what was waived of it
 * @param settledOn the value date of the payment that settled it, once settled
 */
public record Installment(
    int number,
    LocalDate from,
    LocalDate dueDate,
    Components due,
    Components paid,
    Components waived,
    Optional<LocalDate> settledOn) {
  /** What remains of it: due − paid − waived. */
  public Components outstanding() {
    return due.minus(paid).minus(waived);
  }

  public boolean settled() {
    return outstanding().isZero();
  }
}
