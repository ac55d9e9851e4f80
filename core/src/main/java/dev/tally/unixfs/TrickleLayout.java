package dev.tally.unixfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubo's trickle layout: a node holds up to maxLinks leaves, then {@value #DEPTH_REPEAT} subtrees
 * of each depth 1, 2, ... (the root without a depth limit, a subtree of depth d with depths below
 * d), so a reader sees data early and the tree grows as the file does.
 */
final class TrickleLayout implements FileLayout {
  private static final int DEPTH_REPEAT = 4;
  private final int maxLinks;

  TrickleLayout(int maxLinks) {
    this.maxLinks = maxLinks;
  }

  @Override
  public List<DagRef> rootChildren(LeafSource leaves, NodeWriter writer) throws IOException {
    return fill(leaves, writer, Integer.MAX_VALUE);
  }

  private List<DagRef> fill(LeafSource leaves, NodeWriter writer, int maxDepth) throws IOException {
    List<DagRef> children = new ArrayList<>();
    while (children.size() < maxLinks && leaves.hasNext()) {
      children.add(leaves.next());
    }
    for (int depth = 1; depth < maxDepth && leaves.hasNext(); depth++) {
      for (int r = 0; r < DEPTH_REPEAT && leaves.hasNext(); r++) {
        children.add(writer.write(fill(leaves, writer, depth)));
      }
    }
    return children;
  }
}
