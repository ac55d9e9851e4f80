package dev.tally.lending.record;

import dev.tally.lending.money.Money;

/** An overpayment paid back to the borrower. */
public record CreditBalanceRefunded(Money amount, Digest reference) implements CashMovement {
  public static final String KIND = "CreditBalanceRefunded";

  @Override
  public String kind() {
    return KIND;
  }

  static CreditBalanceRefunded decode(Fields f) {
    return CashMovement.decode(f, CreditBalanceRefunded::new);
  }
}
