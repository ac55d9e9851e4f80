package dev.tally.exchange.routing;

import dev.tally.crypto.PeerId;
import dev.tally.exchange.Bitswap;
import dev.tally.multiformats.Cid;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Content routing over the peers we are connected to: finding asks each of them with a Bitswap
 * want-have; providing serves peers that already asked us for the CID (there is no one else to tell
 * until a DHT implements {@link ContentRouting}).
 */
public final class ConnectedPeersRouting implements ContentRouting {
  private final Bitswap bitswap;

  public ConnectedPeersRouting(Bitswap bitswap) {
    this.bitswap = bitswap;
  }

  @Override
  public Future<List<PeerId>> findProviders(Cid cid, int limit, Duration timeout) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 1"));
    }
    return bitswap
        .whoHas(cid, timeout)
        .map(found -> found.size() <= limit ? found : found.subList(0, limit));
  }

  @Override
  public Future<Void> provide(Cid cid) {
    bitswap.provide(List.of(cid));
    return Future.succeededFuture();
  }
}
