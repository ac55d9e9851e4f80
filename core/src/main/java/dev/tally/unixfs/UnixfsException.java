package dev.tally.unixfs;

/** A UnixFS DAG could not be built or read: malformed node, missing block, bad option. */
public class UnixfsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnixfsException(String message) {
    super(message);
  }

  public UnixfsException(String message, Throwable cause) {
    super(message, cause);
  }
}
