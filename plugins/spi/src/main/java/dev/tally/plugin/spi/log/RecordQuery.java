package dev.tally.plugin.spi.log;

import java.util.Optional;

/** Read-only queries over the verified lending log. */
public interface RecordQuery {
  /** The node's current heads. */
  Heads heads();

  /** Entries in the replica. */
  long size();

  /** The entry with this CID, if the replica holds it. */
  Optional<VerifiedEntry> entry(String cid);

  /**
   * Up to {@code limit} entries after {@code from} (reachable from the current heads, not from
   * {@code from}), oldest first in the log's total order.
   *
   * @throws IllegalArgumentException when {@code from} names entries this replica lacks, or {@code
   *     limit} is not positive
   */
  EntryPage since(Heads from, int limit);
}
