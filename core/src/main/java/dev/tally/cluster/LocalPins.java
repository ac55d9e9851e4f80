package dev.tally.cluster;

import dev.tally.multiformats.Cid;
import java.util.Set;

/**
 * This node's own pins as the cluster uses them: the repo's pinner with the exchange behind it.
 * Every method may block (disk, network); the tracker calls them from its own worker threads.
 * Implementations keep the cluster's pins apart from pins a user made by hand, so that the cluster
 * never unpins what it did not pin.
 */
public interface LocalPins {
  /**
   * Fetches every block under {@code cid} that is missing (from peers, verified against its CID)
   * and pins it recursively.
   *
   * @throws RuntimeException with a message a user can act on when a block cannot be had
   */
  void pin(Cid cid, String name);

  /** Removes the cluster's pin of {@code cid}, if there is one. */
  void unpin(Cid cid);

  /** The CIDs the cluster has pinned here (after a restart, what the tracker starts from). */
  Set<Cid> pinned();

  /** Bytes this node can still store, as announced in heartbeats. */
  long freeBytes();
}
