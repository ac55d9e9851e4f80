package dev.tally.crypto;

/** Thrown for key bytes that are malformed, of the wrong size, or of an unsupported key type. */
public class KeyFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
