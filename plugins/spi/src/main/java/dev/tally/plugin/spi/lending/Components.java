package dev.tally.plugin.spi.lending;

/**
 * An amount split by what it pays for, as a loan's schedule, balances and payments are: principal,
 * interest, fees and penalties (all in the loan's currency).
 */
public record Components(Money principal, Money interest, Money fees, Money penalties) {
  public Components {
    principal.plus(interest).plus(fees).plus(penalties);
  }

  public static Components zero(String currency, int exponent) {
    Money z = Money.zero(currency, exponent);
    return new Components(z, z, z, z);
  }

  public Money total() {
    return principal.plus(interest).plus(fees).plus(penalties);
  }

  public boolean isZero() {
    return principal.isZero() && interest.isZero() && fees.isZero() && penalties.isZero();
  }

  public Components plus(Components o) {
    return new Components(
        principal.plus(o.principal),
        interest.plus(o.interest),
        fees.plus(o.fees),
        penalties.plus(o.penalties));
  }
}
