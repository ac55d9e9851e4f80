package dev.tally.cluster;

/** A cluster operation that cannot proceed: a malformed record, a bad argument, no cluster. */
public class ClusterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
