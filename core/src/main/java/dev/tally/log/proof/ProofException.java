package dev.tally.log.proof;

import dev.tally.log.LogException;

/** A proof that does not show what it claims; the message says which check failed. */
public final class ProofException extends LogException {
  private static final long serialVersionUID = 1L;

  public ProofException(String message) {
    super(message);
  }

  public ProofException(String message, Throwable cause) {
    super(message, cause);
  }
}
