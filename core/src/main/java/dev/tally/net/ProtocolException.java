package dev.tally.net;

/**
 * A peer broke a wire protocol (malformed or oversized message, failed authentication, timeout):
 * the stream or connection it arrived on is closed. Subclasses name the layer.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
