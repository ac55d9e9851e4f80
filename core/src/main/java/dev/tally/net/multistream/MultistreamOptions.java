package dev.tally.net.multistream;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a multistream-select negotiation.
 *
 * @param timeout time allowed for the whole negotiation (spec: 10 s; config {@code
 *     Swarm.Negotiation.Timeout})
 * @param maxMessageLength longest message, counting its trailing newline (1024 bytes). Not a config
 *     key: go-multistream and js-libp2p refuse longer messages, so no peer sends one and a longer
 *     protocol ID of ours would be refused by them; a larger bound would only let a hostile peer
 *     make us buffer more (ADR 038)
 * @param maxProposals proposals a responder answers before giving up on the initiator (default 32;
 *     config {@code Swarm.Negotiation.MaxProposals})
 */
public record MultistreamOptions(Duration timeout, int maxMessageLength, int maxProposals) {
  public static final MultistreamOptions DEFAULTS =
      new MultistreamOptions(Duration.ofSeconds(10), 1024, 32);

  public MultistreamOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (maxMessageLength < 2 || maxMessageLength > 16383) {
      throw new IllegalArgumentException("maxMessageLength out of range: " + maxMessageLength);
    }
    if (maxProposals < 1) {
      throw new IllegalArgumentException("maxProposals must be at least 1: " + maxProposals);
    }
  }

  public MultistreamOptions withMaxProposals(int n) {
    return new MultistreamOptions(timeout, maxMessageLength, n);
  }

  public MultistreamOptions withTimeout(Duration d) {
    return new MultistreamOptions(d, maxMessageLength, maxProposals);
  }
}
