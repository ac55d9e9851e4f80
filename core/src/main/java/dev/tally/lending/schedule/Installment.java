package dev.tally.lending.schedule;

import dev.tally.lending.money.Money;
import java.time.LocalDate;

/**
 * One row of a schedule: the period {@code from}..{@code due}, the principal and interest due on
 * {@code due}, and the principal balance left after it.
 */
public record Installment(
    int number, LocalDate from, LocalDate due, Money principal, Money interest, Money balance) {
  /** Principal plus interest. */
  public Money total() {
    return principal.plus(interest);
  }
}
