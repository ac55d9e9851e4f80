package dev.tally.net.multistream;

import dev.tally.net.Duplex;
import java.util.Objects;

/**
 * The outcome of a negotiation: the agreed protocol and the duplex to speak it on. The duplex
 * replays any bytes that arrived after the last negotiation message; reads start once a handler is
 * set.
 */
public record Negotiated(String protocol, Duplex duplex) {
  public Negotiated {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(duplex, "duplex");
  }
}
