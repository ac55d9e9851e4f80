package dev.tally.net.ping;

/** A ping was not echoed correctly, or its stream ended early. */
public final class PingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PingException(String message) {
    super(message);
  }
}
