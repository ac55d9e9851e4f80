package dev.tally.multiformats;

/** Thrown for a malformed multiaddr or one naming an unsupported protocol. */
public class MultiaddrException extends MultiformatException {
  private static final long serialVersionUID = 1L;

  public MultiaddrException(String message) {
    super(message);
  }

  public MultiaddrException(String message, Throwable cause) {
    super(message, cause);
  }
}
