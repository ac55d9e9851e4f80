package dev.tally.multiformats;

/** Thrown for a malformed multihash or one whose hash function is not supported. */
public class MultihashException extends MultiformatException {
  private static final long serialVersionUID = 1L;

  public MultihashException(String message) {
    super(message);
  }

  public MultihashException(String message, Throwable cause) {
    super(message, cause);
  }
}
