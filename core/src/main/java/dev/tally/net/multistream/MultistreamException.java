package dev.tally.net.multistream;

import dev.tally.net.ProtocolException;

/** A multistream-select negotiation failed: bad message, unsupported protocol, or timeout. */
public class MultistreamException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public MultistreamException(String message) {
    super(message);
  }

  public MultistreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
