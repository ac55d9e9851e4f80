package dev.tally.net.noise;

import dev.tally.net.ProtocolException;

/** The Noise handshake or an encrypted frame failed; the connection is closed. */
public class NoiseException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public NoiseException(String message) {
    super(message);
  }

  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
