package dev.tally.log.sync;

/**
 * A peer offered a checkpoint bundle that does not hold up (not a quorum of the manifest's signers,
 * a block that does not hash to its CID, an index that does not match the count, another log's
 * checkpoint, a malformed answer): the peer is counted as faulty and its bundle never used.
 */
public final class ForgedCheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ForgedCheckpointException(String message) {
    super(message);
  }

  public ForgedCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
