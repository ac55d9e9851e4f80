package dev.tally.log.sync;

/** A peer broke {@code /tally/log/1.0.0}: a malformed or oversized message, a failed request. */
public final class SyncException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SyncException(String message) {
    super(message);
  }

  public SyncException(String message, Throwable cause) {
    super(message, cause);
  }
}
