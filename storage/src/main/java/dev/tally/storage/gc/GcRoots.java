package dev.tally.storage.gc;

import dev.tally.multiformats.Cid;
import java.util.Collection;
import java.util.List;

/**
 * A source of blocks garbage collection must keep: pins, the lending logs' heads, MFS roots. Read
 * once at the start of each collection; a root added later must come with a {@link BlockLeases}
 * lease held until it is readable here.
 */
public interface GcRoots {
  /** Roots whose whole DAG is kept. */
  Collection<Cid> recursiveRoots();

  /** Single blocks kept without their links. */
  default Collection<Cid> directRoots() {
    return List.of();
  }

  /**
   * Roots whose DAG is kept as far as this node holds it: a block absent under them is skipped, not
   * an error. A log's heads are such roots: its records may link to content this node never held (a
   * cluster pin allocated to other members), which must not stop a collection.
   */
  default Collection<Cid> partialRoots() {
    return List.of();
  }
}
