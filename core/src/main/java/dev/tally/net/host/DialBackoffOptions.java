package dev.tally.net.host;

import java.time.Duration;
import java.util.Objects;

/**
 * Timings of the per-address dial back-off: after the n-th consecutive failure an address waits
 * {@code base + coefficient·n²}, at most {@code max}.
 *
 * @param base back-off after any failure (go-libp2p: 5 s)
 * @param coefficient added per squared failure count (go-libp2p: 1 s)
 * @param max the longest back-off (go-libp2p: 5 minutes)
 * @param capacity addresses remembered; the oldest are forgotten first
 */
public record DialBackoffOptions(Duration base, Duration coefficient, Duration max, int capacity) {
  public DialBackoffOptions {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(coefficient, "coefficient");
    Objects.requireNonNull(max, "max");
    if (base.isNegative() || coefficient.isNegative() || max.compareTo(base) < 0 || capacity < 1) {
      throw new IllegalArgumentException(
          "dial back-off needs base, coefficient >= 0, max >= base, capacity >= 1: " + this);
    }
  }

  /** go-libp2p's swarm defaults, remembering up to 10,000 addresses. */
  public static DialBackoffOptions defaults() {
    return new DialBackoffOptions(
        Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);
  }
}
