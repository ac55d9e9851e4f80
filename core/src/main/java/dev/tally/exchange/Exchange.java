package dev.tally.exchange;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import io.vertx.core.Future;

/** Gets blocks from the local blockstore or from peers, and serves ours to them. */
public interface Exchange {
  /** The block, from the blockstore if there, else fetched (and stored) by a one-off session. */
  Future<Block> get(Cid cid);

  Session newSession();

  /**
   * Fetches every block reachable from {@code root} that the blockstore lacks, walking links as
   * blocks arrive, into the blockstore.
   */
  DagFetch fetchDag(Cid root);

  Future<Void> close();
}
