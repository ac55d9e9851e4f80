package dev.tally.net.host;

import java.time.Duration;

/**
 * When to trim connections, as go-libp2p's basic connection manager does.
 *
 * @param lowWater connections kept after a trim
 * @param highWater a trim starts when more connections than this are open
 * @param gracePeriod connections younger than this are never trimmed
 * @param checkInterval how often the manager re-checks (new connections also trigger a check)
 */
public record ConnectionManagerOptions(
    int lowWater, int highWater, Duration gracePeriod, Duration checkInterval) {

  public ConnectionManagerOptions {
    if (lowWater < 0 || highWater < lowWater) {
      throw new IllegalArgumentException(
          "need 0 <= lowWater <= highWater, got " + lowWater + " and " + highWater);
    }
    if (gracePeriod.isNegative() || checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("gracePeriod must be >= 0 and checkInterval > 0");
    }
  }

  /** Kubo's defaults: keep 32, trim above 96, spare connections younger than 20 s. */
  public static ConnectionManagerOptions defaults() {
    return new ConnectionManagerOptions(32, 96, Duration.ofSeconds(20), Duration.ofSeconds(10));
  }
}
