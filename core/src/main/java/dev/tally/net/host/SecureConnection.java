package dev.tally.net.host;

import dev.tally.crypto.PeerId;
import dev.tally.net.Duplex;
import java.util.Objects;

/** A connection after the security handshake: the encrypted channel and the proven peer. */
public record SecureConnection(Duplex duplex, PeerId remotePeer) {
  public SecureConnection {
    Objects.requireNonNull(duplex, "duplex");
    Objects.requireNonNull(remotePeer, "remotePeer");
  }
}
