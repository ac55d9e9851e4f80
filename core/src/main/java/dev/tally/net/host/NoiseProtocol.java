package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.net.Duplex;
import dev.tally.net.noise.NoiseOptions;
import dev.tally.net.noise.NoiseSecurity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Noise ({@code /noise}) as the host's security stage. No muxers are announced in the handshake's
 * extensions, so peers negotiate Yamux with multistream-select afterwards (announcing them would
 * make js-libp2p skip that negotiation: inlined muxer selection, not implemented here yet).
 */
public final class NoiseProtocol implements SecurityProtocol {
  private final NoiseSecurity noise;

  public NoiseProtocol(Vertx vertx, PrivateKey identity) {
    this.noise = new NoiseSecurity(vertx, identity, NoiseOptions.DEFAULTS);
  }

  @Override
  public String id() {
    return NoiseSecurity.PROTOCOL_ID;
  }

  @Override
  public Future<SecureConnection> secureOutbound(Duplex insecure, Optional<PeerId> expected) {
    return noise
        .secureOutbound(insecure, expected)
        .map(c -> new SecureConnection(c.duplex(), c.remotePeer()));
  }

  @Override
  public Future<SecureConnection> secureInbound(Duplex insecure) {
    return noise.secureInbound(insecure).map(c -> new SecureConnection(c.duplex(), c.remotePeer()));
  }
}
