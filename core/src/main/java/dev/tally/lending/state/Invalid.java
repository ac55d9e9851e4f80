package dev.tally.lending.state;

/** Why a record cannot be applied; the fold flags the record with the message. */
final class Invalid extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Invalid(String message) {
    super(message, null, false, false);
  }
}
