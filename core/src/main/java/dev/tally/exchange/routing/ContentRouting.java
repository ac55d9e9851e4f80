package dev.tally.exchange.routing;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/** Finds peers that can provide a CID and announces the CIDs this node can provide. */
public interface ContentRouting {
  /**
   * Peers that can provide {@code cid}, as many as are found within {@code timeout} (at most {@code
   * limit}); empty when none is.
   */
  Future<List<PeerId>> findProviders(Cid cid, int limit, Duration timeout);

  /** Tells the network this node can provide {@code cid} (its blocks are in the blockstore). */
  Future<Void> provide(Cid cid);
}
