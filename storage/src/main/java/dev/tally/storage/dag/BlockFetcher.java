package dev.tally.storage.dag;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * Fetches a block that is not stored locally (the exchange, once the node runs one). The block it
 * returns must already be verified against its CID.
 */
@FunctionalInterface
public interface BlockFetcher {
  /** Offline: nothing can be fetched. */
  BlockFetcher OFFLINE = cid -> Optional.empty();

  Optional<Block> fetch(Cid cid);
}
