package dev.tally.exchange.dag;

import dev.tally.exchange.ExchangeException;

/** A DAG request failed: the peer refused it, broke the protocol or sent a block that is wrong. */
public class DagException extends ExchangeException {
  private static final long serialVersionUID = 1L;

  public DagException(String message) {
    super(message);
  }

  public DagException(String message, Throwable cause) {
    super(message, cause);
  }
}
