package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.net.Duplex;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * A connection security protocol negotiated by multistream-select (Noise in production). Called on
 * the connection's context with the negotiated raw channel.
 */
public interface SecurityProtocol {
  /** The multistream protocol id, e.g. {@code /noise}. */
  String id();

  /** Runs the handshake as initiator; fails if the proven peer is not {@code expected}. */
  Future<SecureConnection> secureOutbound(Duplex insecure, Optional<PeerId> expected);

  /** Runs the handshake as responder. */
  Future<SecureConnection> secureInbound(Duplex insecure);
}
