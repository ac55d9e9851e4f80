package dev.tally.ipld;

/**
 * Bytes or values that a codec refuses: malformed, non-canonical, over a limit, or not of the form
 * the codec accepts. The message names the problem and, when decoding, the byte offset.
 */
public class CodecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(message);
  }

  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
