package dev.tally.multiformats;

/**
 * Base of every error raised while parsing or building a multiformat value. It is an {@link
 * IllegalArgumentException} because each one reports bad input, never a broken program state.
 */
public class MultiformatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MultiformatException(String message) {
    super(message);
  }

  public MultiformatException(String message, Throwable cause) {
    super(message, cause);
  }
}
