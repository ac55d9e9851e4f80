package dev.tally.net;

import java.util.Objects;

/**
 * How a connection was upgraded, as go-libp2p's {@code network.ConnectionState} reports it.
 *
 * @param security the security protocol, e.g. {@code /noise}
 * @param multiplexer the stream multiplexer, e.g. {@code /yamux/1.0.0}
 * @param earlyMuxerNegotiation whether the multiplexer was agreed inside the security handshake
 *     (Noise extensions) instead of by a multistream-select round trip after it
 */
public record ConnectionState(String security, String multiplexer, boolean earlyMuxerNegotiation) {
  public ConnectionState {
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(multiplexer, "multiplexer");
  }
}
