package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.net.Duplex;
import dev.tally.net.noise.NoiseOptions;
import dev.tally.net.noise.NoiseSecurity;
import dev.tally.net.noise.SecureChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;

/**
 * Noise ({@code /noise}) as the host's security stage, with inlined muxer negotiation: our muxers
 * go into the handshake's NoiseExtensions, and when the peer lists one of them too (go-libp2p and
 * js-libp2p do) the connection skips the multistream-select round trip for the muxer. The muxer
 * chosen is the first of the initiator's list that the responder also lists, as the spec for stream
 * multiplexer negotiation in the security handshake says; with no common muxer, or a peer that
 * lists none, the host falls back to multistream-select.
 */
public final class NoiseProtocol implements SecurityProtocol {
  private final NoiseSecurity noise;
  private final List<String> muxers;

  /** Announces {@link BasicHost#YAMUX}; the default handshake timeout. */
  public NoiseProtocol(Vertx vertx, PrivateKey identity) {
    this(vertx, identity, List.of(BasicHost.YAMUX));
  }

  /** Announces {@code muxers} (empty: always negotiate the muxer with multistream-select). */
  public NoiseProtocol(Vertx vertx, PrivateKey identity, List<String> muxers) {
    this(vertx, identity, NoiseOptions.DEFAULTS.withStreamMuxers(muxers));
  }

  /** With explicit options; {@code options.streamMuxers()} are announced. */
  public NoiseProtocol(Vertx vertx, PrivateKey identity, NoiseOptions options) {
    this.muxers = options.streamMuxers();
    this.noise = new NoiseSecurity(vertx, identity, options);
  }

  @Override
  public String id() {
    return NoiseSecurity.PROTOCOL_ID;
  }

  @Override
  public Future<SecureConnection> secureOutbound(Duplex insecure, Optional<PeerId> expected) {
    return noise
        .secureOutbound(insecure, expected)
        .map(c -> connection(c, muxers, c.remoteStreamMuxers()));
  }

  @Override
  public Future<SecureConnection> secureInbound(Duplex insecure) {
    return noise.secureInbound(insecure).map(c -> connection(c, c.remoteStreamMuxers(), muxers));
  }

  private static SecureConnection connection(
      SecureChannel c, List<String> initiator, List<String> responder) {
    return new SecureConnection(
        c.duplex(), c.remotePeer(), initiator.stream().filter(responder::contains).findFirst());
  }
}
