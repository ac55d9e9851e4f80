package dev.tally.exchange;

import dev.tally.crypto.PeerId;
import dev.tally.exchange.network.Traffic;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-peer traffic counters for {@code bitswap ledger}, kept while the peer is connected (so their
 * number is bounded by the connection limit). Confined to the exchange context.
 */
final class Ledgers implements Traffic {
  private final Map<PeerId, long[]> counters = new HashMap<>();
  private final long[] totals = new long[4];

  @Override
  public void sent(PeerId peer, int blocks, long bytes) {
    long[] c = counters.computeIfAbsent(peer, p -> new long[4]);
    c[0] += bytes;
    c[2] += blocks;
    totals[0] += bytes;
    totals[2] += blocks;
  }

  @Override
  public void received(PeerId peer, int blocks, long bytes) {
    long[] c = counters.computeIfAbsent(peer, p -> new long[4]);
    c[1] += bytes;
    c[3] += blocks;
    totals[1] += bytes;
    totals[3] += blocks;
  }

  PeerLedger of(PeerId peer) {
    long[] c = counters.getOrDefault(peer, new long[4]);
    return new PeerLedger(peer, c[0], c[1], c[2], c[3]);
  }

  /** Everything exchanged with every peer since start, under our own id. */
  PeerLedger totals(PeerId self) {
    return new PeerLedger(self, totals[0], totals[1], totals[2], totals[3]);
  }

  void forget(PeerId peer) {
    counters.remove(peer);
  }
}
