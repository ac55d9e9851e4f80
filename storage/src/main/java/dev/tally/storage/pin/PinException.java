package dev.tally.storage.pin;

/** A pin operation was refused (not pinned, already pinned another way); Kubo's wording. */
public final class PinException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PinException(String message) {
    super(message);
  }
}
