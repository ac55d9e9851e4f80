package dev.tally.multiformats;

/** Thrown for a malformed CID in text or binary form. */
public class CidFormatException extends MultiformatException {
  private static final long serialVersionUID = 1L;

  public CidFormatException(String message) {
    super(message);
  }

  public CidFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
