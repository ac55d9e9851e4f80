package dev.tally.unixfs;

import java.io.IOException;
import java.util.List;

/** Arranges the leaves of a file of at least two chunks under internal nodes. */
interface FileLayout {
  /** Stores one internal file node over {@code children}. */
  interface NodeWriter {
    DagRef write(List<DagRef> children);
  }

  /**
   * Consumes every leaf, storing internal nodes as they fill, and returns the children of the root
   * (at least two) so the caller can write the root with the file's metadata.
   */
  List<DagRef> rootChildren(LeafSource leaves, NodeWriter writer) throws IOException;

  static FileLayout of(Layout layout, int maxLinks) {
    return layout == Layout.TRICKLE ? new TrickleLayout(maxLinks) : new BalancedLayout(maxLinks);
  }
}
