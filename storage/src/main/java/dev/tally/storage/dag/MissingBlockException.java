package dev.tally.storage.dag;

import dev.tally.multiformats.Cid;
import dev.tally.storage.StorageException;

/** A DAG walk needed a block that is neither stored nor fetchable; the message names it. */
public final class MissingBlockException extends StorageException {
  private static final long serialVersionUID = 1L;
  private final transient Cid cid;

  public MissingBlockException(Cid cid) {
    super("block was not found locally (offline): " + cid);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
