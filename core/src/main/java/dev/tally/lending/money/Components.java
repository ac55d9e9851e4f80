package dev.tally.lending.money;

/**
 * An amount split by what it pays for, as schedules, balances and payments are: principal,
 * interest, fees and penalties, all in one currency.
 */
public record Components(Money principal, Money interest, Money fees, Money penalties) {
  public Components {
    principal.plus(interest).plus(fees).plus(penalties);
  }

  public static Components zero(Currency c) {
    Money z = Money.zero(c);
    return new Components(z, z, z, z);
  }

  public Currency currency() {
    return principal.currency();
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

  public Components minus(Components o) {
    return new Components(
        principal.minus(o.principal),
        interest.minus(o.interest),
        fees.minus(o.fees),
        penalties.minus(o.penalties));
  }

  public Money get(Component c) {
    return switch (c) {
      case PRINCIPAL -> principal;
      case INTEREST -> interest;
      case FEES -> fees;
      case PENALTIES -> penalties;
    };
  }

  /** A copy with component {@code c} replaced by {@code m}. */
  public Components with(Component c, Money m) {
    return switch (c) {
      case PRINCIPAL -> new Components(m, interest, fees, penalties);
      case INTEREST -> new Components(principal, m, fees, penalties);
      case FEES -> new Components(principal, interest, m, penalties);
      case PENALTIES -> new Components(principal, interest, fees, m);
    };
  }

  /** The four components. */
  public enum Component {
    PRINCIPAL,
    INTEREST,
    FEES,
    PENALTIES
  }
}
