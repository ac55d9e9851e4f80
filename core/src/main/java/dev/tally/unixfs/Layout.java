package dev.tally.unixfs;

/** How file leaves are arranged under the root. */
public enum Layout {
  /** Kubo's default: every internal node full (maxLinks children) except along the right edge. */
  BALANCED,
  /**
   * Kubo's {@code --trickle}: leaves first, then subtrees of growing depth, for streaming reads.
   */
  TRICKLE
}
