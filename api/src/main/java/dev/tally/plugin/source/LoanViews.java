package dev.tally.plugin.source;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Money;
import dev.tally.lending.state.CashFlow;
import dev.tally.lending.state.Installment;
import dev.tally.lending.state.LoanState;
import dev.tally.lending.state.LoanStatus;
import dev.tally.lending.state.Part;
import dev.tally.lending.state.PartTransfer;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.spi.lending.CashFlowKind;
import dev.tally.plugin.spi.lending.Loan;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's {@link LoanState} as the SPI's {@link Loan}: the same figures, in the SPI's own types.
 */
final class LoanViews {
  private LoanViews() {}

  static Loan of(LoanState s) {
    List<Money> accrued = s.accruedInterest();
    List<dev.tally.plugin.spi.lending.Part> parts = new ArrayList<>(s.parts().size());
    for (int i = 0; i < s.parts().size(); i++) {
      Part p = s.parts().get(i);
      parts.add(
          new dev.tally.plugin.spi.lending.Part(
              p.id(),
              p.lender().toString(),
              money(p.principal()),
              money(p.outstandingPrincipal()),
              components(p.received()),
              money(accrued.get(i)),
              p.origin()));
    }
    return new Loan(
        s.id().toString(),
        status(s.status()),
        s.borrower().toString(),
        s.servicer().map(Object::toString),
        s.currency().code(),
        money(s.principal()),
        s.rate().millionths(),
        money(s.disbursed()),
        s.disbursedOn(),
        components(s.outstanding()),
        s.schedule().stream().map(LoanViews::installment).toList(),
        parts,
        s.cashFlows().stream().map(LoanViews::flow).toList(),
        s.transfers().stream().map(LoanViews::transfer).toList(),
        s.daysPastDue(),
        s.overdueSince(),
        s.flagged().stream().map(Cid::toString).toList());
  }

  static dev.tally.plugin.spi.lending.LoanStatus status(LoanStatus s) {
    return dev.tally.plugin.spi.lending.LoanStatus.ofCode(s.code())
        .orElseThrow(
            () -> new IllegalStateException("no SPI status for Fineract code " + s.code()));
  }

  static dev.tally.plugin.spi.lending.Money money(Money m) {
    return new dev.tally.plugin.spi.lending.Money(
        m.currency().code(), m.minor(), m.currency().exponent());
  }

  static dev.tally.plugin.spi.lending.Components components(Components c) {
    return new dev.tally.plugin.spi.lending.Components(
        money(c.principal()), money(c.interest()), money(c.fees()), money(c.penalties()));
  }

  private static dev.tally.plugin.spi.lending.Installment installment(Installment i) {
    return new dev.tally.plugin.spi.lending.Installment(
        i.number(),
        i.dueDate(),
        components(i.due()),
        components(i.paid()),
        components(i.waived()),
        components(i.outstanding()),
        i.settledOn());
  }

  private static dev.tally.plugin.spi.lending.CashFlow flow(CashFlow f) {
    CashFlowKind kind =
        switch (f.kind()) {
          case DISBURSEMENT -> CashFlowKind.DISBURSEMENT;
          case REPAYMENT -> CashFlowKind.REPAYMENT;
          case RECOVERY -> CashFlowKind.RECOVERY;
          case PART_SOLD -> CashFlowKind.PART_SOLD;
          case PART_BOUGHT -> CashFlowKind.PART_BOUGHT;
        };
    return new dev.tally.plugin.spi.lending.CashFlow(
        f.entry().toString(),
        f.valueDate(),
        f.part(),
        f.lender().toString(),
        kind,
        components(f.amount()));
  }

  private static dev.tally.plugin.spi.lending.PartTransfer transfer(PartTransfer t) {
    return new dev.tally.plugin.spi.lending.PartTransfer(
        t.entry().toString(),
        t.part(),
        t.newPart(),
        t.seller().toString(),
        t.buyer().toString(),
        money(t.principal()),
        money(t.price()),
        t.settlementDate(),
        t.accruedInterestToBuyer());
  }
}
