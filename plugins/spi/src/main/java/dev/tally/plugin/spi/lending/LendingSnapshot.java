package dev.tally.plugin.spi.lending;

import dev.tally.plugin.spi.log.Heads;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

  /**
   * An immutable snapshot of {@code loans} (for tests, and for sources that hold views already).
   *
   * @throws IllegalArgumentException when two loans share an id
   */
  static LendingSnapshot of(Heads heads, LocalDate businessDate, Collection<Loan> loans) {
    Map<String, Loan> byId = new TreeMap<>();
    for (Loan l : loans) {
      if (byId.put(l.id(), l) != null) {
        throw new IllegalArgumentException("two loans with id " + l.id());
      }
    }
    List<Loan> ordered = List.copyOf(byId.values());
    return new LendingSnapshot() {
      @Override
      public Heads heads() {
        return heads;
      }

      @Override
      public LocalDate businessDate() {
        return businessDate;
      }

      @Override
      public int size() {
        return ordered.size();
      }

      @Override
      public Optional<Loan> loan(String id) {
        return Optional.ofNullable(byId.get(id));
      }

      @Override
      public List<Loan> loans() {
        return ordered;
      }
    };
  }
}
