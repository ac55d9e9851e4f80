package dev.tally.crypto;

/** Thrown for text or bytes that are not a valid libp2p peer id. */
public class PeerIdFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PeerIdFormatException(String message) {
    super(message);
  }

  public PeerIdFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
