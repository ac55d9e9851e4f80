package dev.tally.lending.record;

import dev.tally.lending.money.Money;

/** A repayment charged back by the payment network; the amount is owed again. */
public record Chargeback(Money amount, Digest reference) implements CashMovement {
  public static final String KIND = "Chargeback";

  @Override
  public String kind() {
    return KIND;
  }

  static Chargeback decode(Fields f) {
    return CashMovement.decode(f, Chargeback::new);
  }
}
