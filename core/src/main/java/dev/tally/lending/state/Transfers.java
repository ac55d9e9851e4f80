package dev.tally.lending.state;

import static dev.tally.lending.state.LoanStatus.ACTIVE;
import static dev.tally.lending.state.LoanStatus.APPROVED;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Components.Component;
import dev.tally.lending.money.Money;
import dev.tally.lending.record.LoanPartTransferred;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.record.Rescheduled;
import dev.tally.lending.schedule.Schedule;
import dev.tally.lending.schedule.ScheduleException;
import dev.tally.lending.schedule.ScheduleGenerator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** The rules for records that reshape a loan: part transfers and reschedules. */
final class Transfers {
  private Transfers() {}

  static void apply(Book b, Event e, LoanPartTransferred t, Function<PartyId, Set<String>> roles) {
    b.requireStatus("LoanPartTransferred", APPROVED, ACTIVE);
    Part p = b.parts.get(t.part());
    if (p == null) {
      throw new Invalid("the loan has no part " + t.part());
    }
    b.requireCurrency(t.principal());
    b.requireCurrency(t.price());
    Rules.requireRole(roles, t.buyer(), "lender", "buying a part");
    if (t.principal().compareTo(p.outstandingPrincipal()) > 0) {
      throw new Invalid(
          "part "
              + t.part()
              + " holds "
              + p.outstandingPrincipal()
              + ", less than the "
              + t.principal()
              + " transferred");
    }
    boolean whole = t.principal().equals(p.outstandingPrincipal());
    Components zero = Components.zero(b.principal.currency());
    if (whole) {
      if (!t.newPart().equals(t.part())) {
        throw new Invalid("a part sold whole keeps its id: newPart must be " + t.part());
      }
      b.parts.put(
          p.id(),
          new Part(
              p.id(),
              t.buyer(),
              p.principal(),
              p.outstandingPrincipal(),
              p.received(),
              p.origin()));
    } else {
      if (b.parts.containsKey(t.newPart())) {
        throw new Invalid("part " + t.newPart() + " already exists");
      }
      b.parts.put(
          p.id(),
          new Part(
              p.id(),
              p.lender(),
              p.principal(),
              p.outstandingPrincipal().minus(t.principal()),
              p.received(),
              p.origin()));
      b.parts.put(
          t.newPart(),
          new Part(
              t.newPart(), t.buyer(), t.principal(), t.principal(), zero, Optional.of(p.id())));
    }
    b.transfers.add(
        new PartTransfer(
            e.entry(),
            t.part(),
            t.newPart(),
            p.lender(),
            t.buyer(),
            t.principal(),
            t.price(),
            t.settlementDate(),
            t.accruedTo().equals("buyer")));
    Components price = zero.with(Component.PRINCIPAL, t.price());
    b.cashFlows.add(
        new CashFlow(
            e.entry(), t.settlementDate(), t.part(), p.lender(), CashFlow.Kind.PART_SOLD, price));
    b.cashFlows.add(
        new CashFlow(
            e.entry(),
            t.settlementDate(),
            t.newPart(),
            t.buyer(),
            CashFlow.Kind.PART_BOUGHT,
            price));
  }

  /**
   * Replaces the schedule from the reschedule date; what was prepaid on replaced rows is paid again
   * into the new rows (principal first, as a prepayment reduces principal).
   */
  static void reschedule(Book b, Rescheduled r) {
    b.requireStatus("Rescheduled", ACTIVE);
    Schedule current = b.schedule.orElseThrow();
    Schedule next;
    try {
      next = ScheduleGenerator.reschedule(current, b.terms.orElseThrow(), Terms.of(r));
    } catch (ScheduleException ex) {
      throw new Invalid("the reschedule gives no schedule: " + ex.getMessage());
    }
    if (!ScheduleHash.of(next).equals(r.scheduleHash())) {
      throw new Invalid(
          "scheduleHash does not match the rescheduled schedule (" + ScheduleHash.of(next) + ")");
    }
    int keep = 0;
    while (keep < current.rows().size() && current.rows().get(keep).due().isBefore(r.from())) {
      keep++;
    }
    Components prepaid = Components.zero(b.principal.currency());
    for (int i = keep; i < b.rows.size(); i++) {
      prepaid = prepaid.plus(b.rows.get(i).paid());
    }
    b.schedule = Optional.of(next);
    b.setRows(next, keep);
    if (!prepaid.isZero()) {
      Money[] left = new Money[1];
      Allocation.pay(
          b.rows,
          prepaid.total(),
          Allocation.order("principal-interest-penalties-fees-order-strategy"),
          r.from(),
          left);
      b.credit = Book.checked(() -> b.credit.plus(left[0]));
    }
    b.settle();
  }
}
