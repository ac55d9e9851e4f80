package dev.tally.unixfs;

/** How a directory's size is measured to decide when it becomes a HAMT shard. */
public enum ShardSplitStrategy {
  /** Kubo's historic estimate: the sum over links of name bytes plus CID bytes. */
  LINKS_BYTES,
  /** IPIP-499 {@code unixfs-v1-2025}: the exact size of the encoded flat directory block. */
  BLOCK_BYTES
}
