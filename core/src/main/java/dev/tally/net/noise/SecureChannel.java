package dev.tally.net.noise;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * A completed Noise handshake: the encrypted duplex and what the remote proved about itself.
 *
 * @param duplex the encrypted channel; reads start once a handler is set
 * @param remotePeer the peer id derived from the remote's signed identity key
 * @param remoteKey the remote's identity key
 * @param remoteStreamMuxers muxers the remote advertised in its NoiseExtensions (often empty)
 */
public record SecureChannel(
    NoiseDuplex duplex, PeerId remotePeer, PublicKey remoteKey, List<String> remoteStreamMuxers) {
  public SecureChannel {
    Objects.requireNonNull(duplex, "duplex");
    Objects.requireNonNull(remotePeer, "remotePeer");
    Objects.requireNonNull(remoteKey, "remoteKey");
    remoteStreamMuxers = List.copyOf(remoteStreamMuxers);
  }
}
