package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.net.Duplex;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection after the security handshake: the encrypted channel, the proven peer, and the
 * multiplexer both sides agreed on inside the handshake, if they did (otherwise it is negotiated
 * with multistream-select next).
 */
public record SecureConnection(Duplex duplex, PeerId remotePeer, Optional<String> earlyMuxer) {
  public SecureConnection {
    Objects.requireNonNull(duplex, "duplex");
    Objects.requireNonNull(remotePeer, "remotePeer");
    Objects.requireNonNull(earlyMuxer, "earlyMuxer");
  }

  public SecureConnection(Duplex duplex, PeerId remotePeer) {
    this(duplex, remotePeer, Optional.empty());
  }
}
