package dev.tally.daemon;

/** The daemon could not start (an address in use, a bad listen address). */
public final class DaemonException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DaemonException(String message, Throwable cause) {
    super(message, cause);
  }

  public DaemonException(String message) {
    super(message);
  }
}
