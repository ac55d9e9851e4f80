package dev.tally.lending.record;

import dev.tally.lending.money.Money;

/** The servicer posts a repayment. */
public record RepaymentReceived(Money amount, Digest reference) implements CashMovement {
  public static final String KIND = "RepaymentReceived";

  @Override
  public String kind() {
    return KIND;
  }

  static RepaymentReceived decode(Fields f) {
    return CashMovement.decode(f, RepaymentReceived::new);
  }
}
