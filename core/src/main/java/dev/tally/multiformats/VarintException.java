package dev.tally.multiformats;

/** Thrown for a malformed unsigned varint (truncated, overlong or longer than 9 bytes). */
public class VarintException extends MultiformatException {
  private static final long serialVersionUID = 1L;

  public VarintException(String message) {
    super(message);
  }

  public VarintException(String message, Throwable cause) {
    super(message, cause);
  }
}
