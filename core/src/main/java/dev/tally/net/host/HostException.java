package dev.tally.net.host;

/** A dial, upgrade or stream could not be set up (limits, wrong peer, no address, closed host). */
public final class HostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HostException(String message) {
    super(message);
  }

  public HostException(String message, Throwable cause) {
    super(message, cause);
  }
}
