package dev.tally.lending.state;

import dev.tally.lending.money.Components;
import dev.tally.lending.money.Components.Component;
import dev.tally.lending.money.Money;
import java.time.LocalDate;
import java.util.List;

/**
 * Repayment allocation as Fineract's transaction processors do it: the oldest unsettled installment
 * first and, within it, the contract strategy's component order; whatever is left after the last
 * installment is an overpayment.
 */
final class Allocation {
  private Allocation() {}

  /** Component order of each strategy code. */
  static List<Component> order(String strategy) {
    return switch (strategy) {
      case "principal-interest-penalties-fees-order-strategy" ->
          List.of(Component.PRINCIPAL, Component.INTEREST, Component.PENALTIES, Component.FEES);
      case "interest-principal-penalties-fees-order-strategy" ->
          List.of(Component.INTEREST, Component.PRINCIPAL, Component.PENALTIES, Component.FEES);
      default ->
          List.of(Component.PENALTIES, Component.FEES, Component.INTEREST, Component.PRINCIPAL);
    };
  }

  /**
   * Pays {@code amount} into {@code rows} (replaced in place), returns what went to each component;
   * {@code leftover[0]} receives the overpayment.
   */
  static Components pay(
      List<Installment> rows,
      Money amount,
      List<Component> order,
      LocalDate valueDate,
      Money[] leftover) {
    Money left = amount;
    Components applied = Components.zero(amount.currency());
    for (int i = 0; i < rows.size() && left.isPositive(); i++) {
      Installment row = rows.get(i);
      Components owed = row.outstanding();
      if (owed.isZero()) {
        continue;
      }
      Components paid = row.paid();
      for (Component c : order) {
        Money take = owed.get(c).min(left);
        if (take.isPositive()) {
          paid = paid.with(c, paid.get(c).plus(take));
          applied = applied.with(c, applied.get(c).plus(take));
          left = left.minus(take);
        }
      }
      Installment next =
          new Installment(
              row.number(),
              row.from(),
              row.dueDate(),
              row.due(),
              paid,
              row.waived(),
              row.settledOn());
      if (next.settled()) {
        next =
            new Installment(
                row.number(),
                row.from(),
                row.dueDate(),
                row.due(),
                paid,
                row.waived(),
                java.util.Optional.of(valueDate));
      }
      rows.set(i, next);
    }
    leftover[0] = left;
    return applied;
  }

  /** Waives up to {@code amount} of component {@code c}, oldest installment first. */
  static void waive(List<Installment> rows, Component c, Money amount, LocalDate valueDate) {
    Money left = amount;
    for (int i = 0; i < rows.size() && left.isPositive(); i++) {
      Installment row = rows.get(i);
      Money take = row.outstanding().get(c).min(left);
      if (!take.isPositive()) {
        continue;
      }
      Components waived = row.waived().with(c, row.waived().get(c).plus(take));
      Installment next =
          new Installment(
              row.number(),
              row.from(),
              row.dueDate(),
              row.due(),
              row.paid(),
              waived,
              row.settledOn());
      if (next.settled() && row.settledOn().isEmpty()) {
        next =
            new Installment(
                row.number(),
                row.from(),
                row.dueDate(),
                row.due(),
                row.paid(),
                waived,
                java.util.Optional.of(valueDate));
      }
      rows.set(i, next);
      left = left.minus(take);
    }
  }
}
