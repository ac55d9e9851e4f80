package dev.tally.plugin.spi.lending;

import dev.tally.plugin.spi.log.Heads;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The lending state at one set of heads and one business date: immutable, so every figure read from
 * one snapshot is consistent, and {@link #heads()} says which log it reflects.
 */
public interface LendingSnapshot {
  /** The log heads this state was derived from. */
  Heads heads();

  /** The business date days past due and accrued interest are computed at. */
  LocalDate businessDate();

  /** Loans in the state. */
  int size();

  Optional<Loan> loan(String id);

  /** Every loan, in loan id order (the ids' text as {@link String#compareTo} orders it). */
  List<Loan> loans();
}
