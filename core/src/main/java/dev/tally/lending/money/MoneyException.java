package dev.tally.lending.money;

/**
 * A money value or operation that cannot be exact: unknown currency, mixed currencies, overflow.
 */
public final class MoneyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MoneyException(String message) {
    super(message);
  }
}
