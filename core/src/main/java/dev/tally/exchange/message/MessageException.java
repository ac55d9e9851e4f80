package dev.tally.exchange.message;

import dev.tally.net.ProtocolException;

/** A peer sent a Bitswap message that is malformed or breaks a limit; its stream is reset. */
public final class MessageException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public MessageException(String message) {
    super(message);
  }

  public MessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
