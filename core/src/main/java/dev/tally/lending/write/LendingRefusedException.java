package dev.tally.lending.write;

/** A record this node refuses to append because the fold would flag it; the message says why. */
public final class LendingRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LendingRefusedException(String message) {
    super(message);
  }
}
