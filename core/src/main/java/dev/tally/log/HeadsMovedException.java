package dev.tally.log;

/** The log's heads moved since the caller computed something at them: recompute and retry. */
public final class HeadsMovedException extends LogException {
  private static final long serialVersionUID = 1L;

  public HeadsMovedException(String message) {
    super(message);
  }
}
