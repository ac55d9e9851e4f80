package dev.tally.net.yamux;

/** A Yamux peer broke the protocol, or a stream or session was reset or closed under a caller. */
public class YamuxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public YamuxException(String message) {
    super(message);
  }
}
