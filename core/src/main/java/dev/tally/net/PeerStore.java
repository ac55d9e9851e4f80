package dev.tally.net;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Addresses and identify results per peer. Bounded: implementations cap the number of peers and of
 * addresses per peer. Safe to use from any thread.
 */
public interface PeerStore {
  Optional<PeerInfo> get(PeerId peer);

  List<Multiaddr> addresses(PeerId peer);

  /** Adds dialable addresses (without {@code /p2p}); returns false if the store is full. */
  boolean addAddresses(PeerId peer, Collection<Multiaddr> addresses);

  /** Replaces what the peer said about itself, keeping addresses learnt elsewhere as well. */
  boolean update(PeerInfo info);

  List<PeerId> peers();
}
