package dev.tally.net.identify;

/** An identify message was malformed, too large, or the stream ended before it did. */
public final class IdentifyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IdentifyException(String message) {
    super(message);
  }

  public IdentifyException(String message, Throwable cause) {
    super(message, cause);
  }
}
