package dev.tally.net.identify;

import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a peer says about itself in an identify message. Absent optional fields are empty; a push
 * may carry only the fields that changed.
 *
 * @param publicKey the peer's identity key (field 1)
 * @param listenAddrs addresses the peer listens on (field 2)
 * @param protocols protocols the peer accepts inbound streams for (field 3)
 * @param observedAddr the address the peer saw us connect from (field 4)
 * @param protocolVersion the protocol family, e.g. {@code ipfs/0.1.0} (field 5)
 * @param agentVersion the implementation, e.g. {@code tally/0.1.0} (field 6)
 */
public record IdentifyInfo(
    Optional<PublicKey> publicKey,
    List<Multiaddr> listenAddrs,
    List<String> protocols,
    Optional<Multiaddr> observedAddr,
    Optional<String> protocolVersion,
    Optional<String> agentVersion) {

  /** The protocol version libp2p peers of the IPFS network announce. */
  public static final String IPFS_PROTOCOL_VERSION = "ipfs/0.1.0";

  public IdentifyInfo {
    Objects.requireNonNull(publicKey, "publicKey");
    listenAddrs = List.copyOf(listenAddrs);
    protocols = List.copyOf(protocols);
    Objects.requireNonNull(observedAddr, "observedAddr");
    Objects.requireNonNull(protocolVersion, "protocolVersion");
    Objects.requireNonNull(agentVersion, "agentVersion");
  }
}
