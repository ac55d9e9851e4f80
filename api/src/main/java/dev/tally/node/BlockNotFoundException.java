package dev.tally.node;

import dev.tally.multiformats.Cid;

/** A block this node does not hold and could not fetch (offline, or no peer sent it). */
public final class BlockNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Cid cid;

  public BlockNotFoundException(Cid cid) {
    super("block was not found locally (offline): " + cid);
    this.cid = cid;
  }

  /** A block that peers did not deliver either, with why. */
  public BlockNotFoundException(Cid cid, String message) {
    super(message);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
