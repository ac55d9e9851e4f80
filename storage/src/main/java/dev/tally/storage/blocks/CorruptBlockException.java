package dev.tally.storage.blocks;

import dev.tally.multiformats.Cid;
import dev.tally.storage.StorageException;

/**
 * A stored block's bytes on disk no longer match what was written (a flipped bit, a truncated
 * pack): the store refuses to return them. Re-fetch the block from a peer or delete it.
 */
public final class CorruptBlockException extends StorageException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public CorruptBlockException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public CorruptBlockException(Cid cid, String message, Throwable cause) {
    super(message, cause);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
