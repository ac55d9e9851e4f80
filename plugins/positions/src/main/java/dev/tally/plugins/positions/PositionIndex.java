package dev.tally.plugins.positions;

import dev.tally.plugin.spi.lending.CashFlow;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.lending.Loan;
import dev.tally.plugin.spi.lending.Part;
import dev.tally.plugin.spi.lending.PartTransfer;
import dev.tally.plugin.spi.log.Heads;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The snapshot's parts, cash flows and transfers indexed by lender, built once per heads and
 * business date.
 */
final class PositionIndex {
  record Holding(Loan loan, Part part) {}

  record Flow(Loan loan, CashFlow flow) {}

  record Transfer(Loan loan, PartTransfer transfer) {}

  final Heads heads;
  final LocalDate businessDate;
  final Map<String, List<Holding>> holdings = new TreeMap<>();
  final Map<String, List<Flow>> flows = new TreeMap<>();
  final Map<String, List<Transfer>> transfersByLender = new TreeMap<>();
  final List<Transfer> transfers = new ArrayList<>();

  PositionIndex(LendingSnapshot s) {
    heads = s.heads();
    businessDate = s.businessDate();
    for (Loan l : s.loans()) {
      for (Part p : l.parts()) {
        holdings.computeIfAbsent(p.lender(), k -> new ArrayList<>()).add(new Holding(l, p));
      }
      for (CashFlow f : l.cashFlows()) {
        flows.computeIfAbsent(f.lender(), k -> new ArrayList<>()).add(new Flow(l, f));
      }
      for (PartTransfer t : l.transfers()) {
        Transfer x = new Transfer(l, t);
        transfers.add(x);
        transfersByLender.computeIfAbsent(t.seller(), k -> new ArrayList<>()).add(x);
        if (!t.buyer().equals(t.seller())) {
          transfersByLender.computeIfAbsent(t.buyer(), k -> new ArrayList<>()).add(x);
        }
      }
    }
    // Lenders see their history in time order; the loan then entry CID break ties stably.
    Comparator<Flow> byDate =
        Comparator.comparing((Flow f) -> f.flow().valueDate())
            .thenComparing(f -> f.loan().id())
            .thenComparing(f -> f.flow().entry());
    flows.values().forEach(list -> list.sort(byDate));
    Comparator<Transfer> bySettlement =
        Comparator.comparing((Transfer t) -> t.transfer().settlementDate())
            .thenComparing(t -> t.loan().id())
            .thenComparing(t -> t.transfer().entry());
    transfers.sort(bySettlement);
    transfersByLender.values().forEach(list -> list.sort(bySettlement));
  }

  boolean reflects(LendingSnapshot s) {
    return heads.equals(s.heads()) && businessDate.equals(s.businessDate());
  }
}
