package dev.tally.lending.state;

import dev.tally.lending.record.PartyId;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The lending state at a set of heads: every loan, every registered party and every flagged record,
 * immutable. A pure function of the log up to {@link #heads()}: every peer holding those heads
 * computes an equal state.
 *
 * @param heads the log heads this state reflects
 * @param businessDate the latest value date in the log, where days past due are computed
 * @param entries how many entries were folded
 * @param loans every loan by id (sorted by CID)
 * @param parties every registered party and its roles
 * @param flagged records kept but not applied, in log order
 */
public record LendingState(
    List<Cid> heads,
    LocalDate businessDate,
    long entries,
    SortedMap<Cid, LoanState> loans,
    Map<PartyId, Set<String>> parties,
    List<Flagged> flagged) {
  public LendingState {
    heads = List.copyOf(heads);
    loans = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(loans));
    parties = Map.copyOf(parties);
    flagged = List.copyOf(flagged);
  }

  public Optional<LoanState> loan(Cid id) {
    return Optional.ofNullable(loans.get(id));
  }

  /** Every loan, in id order. */
  public Collection<LoanState> allLoans() {
    return loans.values();
  }

  /** The roles of {@code party}, empty when it never registered. */
  public Set<String> roles(PartyId party) {
    return parties.getOrDefault(party, Set.of());
  }

  /** Flagged records about {@code loan}. */
  public List<Flagged> flagged(Cid loan) {
    return flagged.stream().filter(f -> f.loan().equals(Optional.of(loan))).toList();
  }
}
