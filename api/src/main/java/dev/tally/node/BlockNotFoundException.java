package dev.tally.node;

import dev.tally.multiformats.Cid;

/** A block this node does not hold (and, while offline, cannot fetch). */
public final class BlockNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Cid cid;

  public BlockNotFoundException(Cid cid) {
    super("block was not found locally (offline): " + cid);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
