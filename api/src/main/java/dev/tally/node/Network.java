package dev.tally.node;

import dev.tally.exchange.Bitswap;
import dev.tally.net.host.BasicHost;
import java.time.Duration;
import java.util.Objects;

/**
 * The online half of a running node: its libp2p host and the Bitswap exchange over the repo's
 * blockstore. Both are thread-safe; their futures complete on Vert.x threads.
 *
 * @param host the libp2p host (swarm, identify, ping)
 * @param exchange Bitswap over the repo's blockstore
 * @param fetchTimeout how long a read waits for a block from peers before giving up
 */
public record Network(BasicHost host, Bitswap exchange, Duration fetchTimeout) {
  public Network {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(fetchTimeout, "fetchTimeout");
  }
}
