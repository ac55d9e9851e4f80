package dev.tally.lending.record;

import dev.tally.lending.money.Money;

/** Money recovered after a write-off. */
public record RecoveryReceived(Money amount, Digest reference) implements CashMovement {
  public static final String KIND = "RecoveryReceived";

  @Override
  public String kind() {
    return KIND;
  }

  static RecoveryReceived decode(Fields f) {
    return CashMovement.decode(f, RecoveryReceived::new);
  }
}
