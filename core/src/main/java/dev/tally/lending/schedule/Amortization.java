package dev.tally.lending.schedule;

/** How principal is spread: a constant installment (annuity) or a constant principal part. */
public enum Amortization implements Coded {
  EQUAL_INSTALLMENTS("equal-installments"),
  EQUAL_PRINCIPAL("equal-principal");

  private final String code;

  Amortization(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  public static Amortization parse(String code) {
    return Coded.parse(Amortization.class, "amortization", code);
  }
}
