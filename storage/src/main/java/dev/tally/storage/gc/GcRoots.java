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
}
