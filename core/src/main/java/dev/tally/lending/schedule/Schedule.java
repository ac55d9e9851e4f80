package dev.tally.lending.schedule;

import dev.tally.lending.money.Money;
import java.util.List;

/** A repayment schedule: its rows in due-date order and the principal they repay. */
public record Schedule(Money principal, List<Installment> rows) {
  public Schedule {
    rows = List.copyOf(rows);
    if (rows.isEmpty()) {
      throw new ScheduleException("a schedule has at least one row");
    }
  }

  public Money totalInterest() {
    Money sum = Money.zero(principal.currency());
    for (Installment r : rows) {
      sum = sum.plus(r.interest());
    }
    return sum;
  }

  public Money totalPrincipal() {
    Money sum = Money.zero(principal.currency());
    for (Installment r : rows) {
      sum = sum.plus(r.principal());
    }
    return sum;
  }

  /** Everything the borrower pays: principal plus interest. */
  public Money totalRepayment() {
    return totalPrincipal().plus(totalInterest());
  }

  public Installment first() {
    return rows.get(0);
  }

  public Installment last() {
    return rows.get(rows.size() - 1);
  }
}
