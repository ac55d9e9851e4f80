package dev.tally.plugin;

import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.util.stream.Stream;

/**
 * What the host feeds plugins from: the node's verified lending log and the state derived from it,
 * already in the SPI's view types. Implementations adapt the node's log and lending fold; tests use
 * synthetic ones.
 */
public interface LendingSource {
  /** The state at the current heads (immutable). */
  LendingSnapshot snapshot();

  /** The verified entries. */
  RecordQuery records();

  /**
   * Every entry reachable from the current heads and not from {@code from}, oldest first in the
   * log's total order, read lazily (the host streams a whole replay through one call).
   *
   * @throws IllegalArgumentException when {@code from} names entries the replica lacks
   */
  Stream<VerifiedEntry> entriesAfter(Heads from);

  /**
   * Calls {@code listener} (on any thread, quickly) each time the heads move; closing the result
   * stops the calls.
   */
  AutoCloseable onChange(Runnable listener);
}
