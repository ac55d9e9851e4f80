package dev.tally.unixfs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Kubo's balanced layout, built streaming: leaves are grouped maxLinks at a time into level-1
 * nodes, those maxLinks at a time into level-2 nodes, and so on until one root remains. A level is
 * reduced as soon as it is full and another entry arrives, so memory holds at most maxLinks
 * references per level, never file data.
 */
final class BalancedLayout implements FileLayout {
  private final int maxLinks;

  BalancedLayout(int maxLinks) {
    this.maxLinks = maxLinks;
  }

  @Override
  public List<DagRef> rootChildren(LeafSource leaves, NodeWriter writer) throws IOException {
    List<List<DagRef>> levels = new ArrayList<>();
    levels.add(new ArrayList<>());
    while (leaves.hasNext()) {
      add(levels, 0, leaves.next(), writer);
    }
    // Close the partial group of every level bottom-up (which may fill and reduce the level
    // above); the top level then holds the root's children, always at least two.
    for (int i = 0; i < levels.size() - 1; i++) {
      List<DagRef> level = levels.get(i);
      if (!level.isEmpty()) {
        DagRef parent = writer.write(List.copyOf(level));
        level.clear();
        add(levels, i + 1, parent, writer);
      }
    }
    return List.copyOf(levels.get(levels.size() - 1));
  }

  private void add(List<List<DagRef>> levels, int i, DagRef ref, NodeWriter writer) {
    List<DagRef> level = levels.get(i);
    if (level.size() == maxLinks) {
      if (levels.size() == i + 1) {
        levels.add(new ArrayList<>());
      }
      DagRef parent = writer.write(List.copyOf(level));
      level.clear();
      add(levels, i + 1, parent, writer);
    }
    level.add(ref);
  }
}
