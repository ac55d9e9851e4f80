package dev.tally.ipld;

import dev.tally.multiformats.Cid;

/** The bytes offered for a block do not hash to its CID: they must not be stored or served. */
public final class BlockVerificationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Cid cid;

  public BlockVerificationException(Cid cid) {
    super("block data does not match its CID " + cid + " (hash mismatch)");
    this.cid = cid;
  }

  /** The CID the bytes claimed to be. */
  public Cid cid() {
    return cid;
  }
}
