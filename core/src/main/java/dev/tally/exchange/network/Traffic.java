package dev.tally.exchange.network;

import dev.tally.crypto.PeerId;

/**
 * Told of every block sent to or received (and kept) from a peer; called on the exchange context.
 */
public interface Traffic {
  void sent(PeerId peer, int blocks, long bytes);

  void received(PeerId peer, int blocks, long bytes);

  /** No traffic is recorded. */
  static Traffic none() {
    return new Traffic() {
      @Override
      public void sent(PeerId peer, int blocks, long bytes) {}

      @Override
      public void received(PeerId peer, int blocks, long bytes) {}
    };
  }
}
