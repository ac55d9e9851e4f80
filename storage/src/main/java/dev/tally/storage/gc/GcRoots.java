package dev.tally.storage.gc;

import dev.tally.blockstore.Blockstore;
import dev.tally.multiformats.Cid;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * A source of blocks garbage collection must keep: pins, the logs, MFS roots. Read once at the
 * start of each collection; a root added later must come with a {@link BlockLeases} lease held
 * until it is readable here.
 */
public interface GcRoots {
  /** Roots whose whole DAG is kept. */
  Collection<Cid> recursiveRoots();

  /** Single blocks kept without their links. */
  default Collection<Cid> directRoots() {
    return List.of();
  }

  /**
   * Marks the blocks this source keeps by a walk of its own rather than whole DAGs: a log keeps its
   * entries, manifest, checkpoint indexes and states, not the content its records name (ADR 026).
   * Reads from {@code store} (offline: an absent block is skipped, not fetched); {@code keep} marks
   * a block and returns whether it was not marked before.
   *
   * @throws GcException when what to keep cannot be known: the collection removes nothing
   */
  default void markOwn(Blockstore store, Predicate<Cid> keep) {}
}
