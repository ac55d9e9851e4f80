package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.PeerInfo;
import dev.tally.net.PeerStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A bounded in-memory peer store; entries are replaced atomically per peer. */
public final class MemoryPeerStore implements PeerStore {
  private final int maxPeers;
  private final int maxAddresses;
  private final ConcurrentHashMap<PeerId, PeerInfo> peers = new ConcurrentHashMap<>();

  public MemoryPeerStore(int maxPeers, int maxAddresses) {
    this.maxPeers = maxPeers;
    this.maxAddresses = maxAddresses;
  }

  @Override
  public Optional<PeerInfo> get(PeerId peer) {
    return Optional.ofNullable(peers.get(peer));
  }

  @Override
  public List<Multiaddr> addresses(PeerId peer) {
    PeerInfo info = peers.get(peer);
    return info == null ? List.of() : info.addresses();
  }

  @Override
  public boolean addAddresses(PeerId peer, Collection<Multiaddr> addresses) {
    if (!peers.containsKey(peer) && peers.size() >= maxPeers) {
      return false;
    }
    peers.compute(
        peer,
        (id, old) -> {
          PeerInfo base = old == null ? PeerInfo.of(id) : old;
          return new PeerInfo(
              id,
              base.publicKey(),
              merge(base.addresses(), addresses),
              base.protocols(),
              base.protocolVersion(),
              base.agentVersion());
        });
    return true;
  }

  @Override
  public boolean update(PeerInfo info) {
    if (!peers.containsKey(info.peerId()) && peers.size() >= maxPeers) {
      return false;
    }
    peers.compute(
        info.peerId(),
        (id, old) -> {
          List<Multiaddr> known = old == null ? List.of() : old.addresses();
          return new PeerInfo(
              id,
              info.publicKey().or(() -> old == null ? Optional.empty() : old.publicKey()),
              merge(info.addresses(), known),
              info.protocols(),
              info.protocolVersion(),
              info.agentVersion());
        });
    return true;
  }

  @Override
  public List<PeerId> peers() {
    return List.copyOf(peers.keySet());
  }

  private List<Multiaddr> merge(Collection<Multiaddr> first, Collection<Multiaddr> second) {
    LinkedHashSet<Multiaddr> all = new LinkedHashSet<>();
    for (Multiaddr a : first) {
      if (all.size() < maxAddresses) {
        all.add(a);
      }
    }
    for (Multiaddr a : second) {
      if (all.size() < maxAddresses) {
        all.add(a);
      }
    }
    return new ArrayList<>(all);
  }
}
