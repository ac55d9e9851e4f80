package dev.tally.exchange;

/** A block or DAG could not be fetched: no peer had it in time, a session closed, a limit hit. */
public class ExchangeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExchangeException(String message) {
    super(message);
  }

  public ExchangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
