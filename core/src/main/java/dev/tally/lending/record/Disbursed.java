package dev.tally.lending.record;

import dev.tally.lending.money.Money;

/** The servicer pays out (a tranche of) the principal. */
public record Disbursed(Money amount, Digest reference) implements CashMovement {
  public static final String KIND = "Disbursed";

  @Override
  public String kind() {
    return KIND;
  }

  static Disbursed decode(Fields f) {
    return CashMovement.decode(f, Disbursed::new);
  }
}
