package dev.tally.plugin.source;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.LargestRemainder;
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
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's {@link LoanState} as the SPI's {@link Loan}: the same figures, in the SPI's own types.
 *
 * <p>One figure is derived here because the fold does not carry it: a part's <em>accrued
 * interest</em>, the interest earned and not yet due at the business date. It is the scheduled
 * interest of the installment whose period contains the business date, pro rata to the days elapsed
 * in that period (rounded half-even to the currency), less any of it already paid, shared over the
 * parts by outstanding principal with the fold's largest-remainder split. Before disbursement, on a
 * due date and after the last due date it is zero.
 */
final class LoanViews {
  private LoanViews() {}

  static Loan of(LoanState s) {
    long[] accrued = accrued(s);
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
              new dev.tally.plugin.spi.lending.Money(
                  s.currency().code(), accrued[i], s.currency().exponent()),
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

  /** Accrued interest per part, in the order of {@code s.parts()} (see the class comment). */
  static long[] accrued(LoanState s) {
    long[] none = new long[s.parts().size()];
    if (s.status() != LoanStatus.ACTIVE || s.parts().isEmpty()) {
      return none;
    }
    LocalDate today = s.businessDate();
    for (Installment i : s.schedule()) {
      if (!i.from().isBefore(today) || !today.isBefore(i.dueDate())) {
        continue;
      }
      long elapsed = ChronoUnit.DAYS.between(i.from(), today);
      long period = ChronoUnit.DAYS.between(i.from(), i.dueDate());
      BigDecimal earned =
          BigDecimal.valueOf(i.due().interest().minor())
              .multiply(BigDecimal.valueOf(elapsed))
              .divide(BigDecimal.valueOf(period), Money.MATH);
      long total =
          Math.max(0, Money.round(earned, s.currency()).minor() - i.paid().interest().minor());
      long[] weights = new long[s.parts().size()];
      for (int p = 0; p < weights.length; p++) {
        weights[p] = s.parts().get(p).outstandingPrincipal().minor();
      }
      boolean anyWeight = false;
      for (long w : weights) {
        anyWeight |= w > 0;
      }
      return total == 0 || !anyWeight ? none : LargestRemainder.split(total, weights);
    }
    return none;
  }
}
