package dev.tally.log.sync;

/**
 * The peer answered a delta request with an error instead of entries (busy, or it no longer holds
 * the log): not a protocol fault, the request is retried at its next announcement.
 */
final class DeltaDeclinedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DeltaDeclinedException(String message) {
    super(message);
  }
}
