package dev.tally.lending.record;

/**
 * A record that is not a well-formed lending record: unknown kind or field, wrong type, bad value.
 */
public final class RecordFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordFormatException(String message) {
    super(message);
  }
}
