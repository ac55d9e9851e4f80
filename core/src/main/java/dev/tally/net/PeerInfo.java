package dev.tally.net;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What we know about a peer: its addresses and, once it identified itself, its key, protocols and
 * versions.
 */
public record PeerInfo(
    PeerId peerId,
    Optional<PublicKey> publicKey,
    List<Multiaddr> addresses,
    List<String> protocols,
    Optional<String> protocolVersion,
    Optional<String> agentVersion) {

  public PeerInfo {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(publicKey, "publicKey");
    addresses = List.copyOf(addresses);
    protocols = List.copyOf(protocols);
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    Objects.requireNonNull(agentVersion, "agentVersion");
  }

  /** A peer known only by id. */
  public static PeerInfo of(PeerId peerId) {
    return new PeerInfo(
        peerId, Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty());
  }
}
