package dev.tally.multiformats;

/**
 * Thrown for a multibase string with an unknown prefix, a character outside its alphabet or a bad
 * length.
 */
public class MultibaseException extends MultiformatException {
  private static final long serialVersionUID = 1L;

  public MultibaseException(String message) {
    super(message);
  }

  public MultibaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
