package dev.tally.log;

/** A log operation that cannot proceed: an unknown entry, a malformed manifest, a bad argument. */
public class LogException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public LogException(String message) {
    super(message);
  }

  public LogException(String message, Throwable cause) {
    super(message, cause);
  }
}
