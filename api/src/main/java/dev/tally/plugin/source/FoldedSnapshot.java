package dev.tally.plugin.source;

import dev.tally.lending.state.LendingState;
import dev.tally.lending.state.LoanState;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.log.Heads;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LendingState} as an SPI snapshot. Loans are converted on first use and kept (the state
 * is immutable), so a query for one loan converts one loan, and the whole list is built once per
 * state.
 */
final class FoldedSnapshot implements LendingSnapshot {
  private final LendingState state;
  private final Heads heads;
  private final ConcurrentHashMap<Cid, Loan> converted = new ConcurrentHashMap<>();
  private volatile List<Loan> all;

  FoldedSnapshot(LendingState state) {
    this.state = state;
    this.heads = LogRecords.heads(state.heads());
  }

  LendingState state() {
    return state;
  }

  @Override
  public Heads heads() {
    return heads;
  }

  @Override
  public LocalDate businessDate() {
    return state.businessDate();
  }

  @Override
  public int size() {
    return state.loans().size();
  }

  @Override
  public Optional<Loan> loan(String id) {
    Cid cid;
    try {
      cid = Cid.parse(id);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return state.loan(cid).map(this::view);
  }

  @Override
  public List<Loan> loans() {
    List<Loan> l = all;
    if (l == null) {
      List<Loan> out = new ArrayList<>(state.loans().size());
      for (LoanState s : state.allLoans()) {
        out.add(view(s));
      }
      // The SPI orders by the id's text; the state's map orders CIDs by their bytes.
      out.sort(java.util.Comparator.comparing(Loan::id));
      l = List.copyOf(out);
      all = l;
    }
    return l;
  }

  private Loan view(LoanState s) {
    return converted.computeIfAbsent(s.id(), id -> LoanViews.of(s));
  }
}
