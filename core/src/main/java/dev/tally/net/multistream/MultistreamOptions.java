package dev.tally.net.multistream;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of a multistream-select negotiation.
 *
 * @param timeout time allowed for the whole negotiation (spec: 10 s)
 * @param maxMessageLength longest message, counting its trailing newline (spec: 1024 bytes)
 * @param maxProposals proposals a responder answers before giving up on the initiator (default 32)
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

  public MultistreamOptions withTimeout(Duration d) {
    return new MultistreamOptions(d, maxMessageLength, maxProposals);
  }
}
