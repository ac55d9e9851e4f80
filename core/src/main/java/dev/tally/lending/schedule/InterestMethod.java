package dev.tally.lending.schedule;

/**
 * Interest on the balance still owed (declining balance) or on the original principal throughout
 * (flat).
 */
public enum InterestMethod implements Coded {
  DECLINING_BALANCE("declining-balance"),
  FLAT("flat");

  private final String code;

  InterestMethod(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  public static InterestMethod parse(String code) {
    return Coded.parse(InterestMethod.class, "interest method", code);
  }
}
