package dev.tally.exchange.network;

import dev.tally.crypto.PeerId;
import dev.tally.exchange.message.BitswapMessage;
import io.vertx.core.Future;

/** What the network hands messages and peer events to; every call runs on the exchange context. */
public interface Receiver {
  /**
   * Handles one message; the stream it came on stays paused until the returned future completes
   * (this is the inbound back-pressure).
   */
  Future<Void> receive(PeerId from, BitswapMessage message);

  void peerConnected(PeerId peer);

  void peerDisconnected(PeerId peer);
}
