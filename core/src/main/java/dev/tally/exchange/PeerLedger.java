package dev.tally.exchange;

import dev.tally.crypto.PeerId;

/**
 * What this node and one connected peer exchanged since they connected, as {@code ipfs bitswap
 * ledger} shows it.
 *
 * @param bytesSent block bytes we sent the peer (Bitswap and DAG responses)
 * @param bytesReceived block bytes the peer sent us that we kept
 * @param blocksSent blocks we sent
 * @param blocksReceived blocks we kept from it
 */
public record PeerLedger(
    PeerId peer, long bytesSent, long bytesReceived, long blocksSent, long blocksReceived) {

  /** Kubo's debt ratio: bytes sent over bytes received plus one. */
  public double value() {
    return bytesSent / (bytesReceived + 1.0);
  }

  /** Blocks exchanged either way. */
  public long exchanged() {
    return blocksSent + blocksReceived;
  }
}
