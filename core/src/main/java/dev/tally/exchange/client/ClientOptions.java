package dev.tally.exchange.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of the Bitswap client. The daemon reads them from {@code config.json}: {@code
 * Internal.Bitswap.MaxLiveWantsPerSession}, {@code MaxQueuedWantsPerSession}, {@code
 * WantReaskDelay} and {@code WantTimeout} (ADR 038).
 *
 * @param maxLiveWants wants one session has out at peers at once; more wait in its queue
 * @param maxQueuedWants wants one session may hold waiting; more fail at once
 * @param reaskAfter per-want deadline: a want-block unanswered for this long is asked of another
 *     peer that has the block (or want-have is broadcast again)
 * @param wantTimeout a want no peer answered with the block in this long fails
 * @param askedMemory CIDs remembered per peer as asked, so a late duplicate is not taken for a
 *     corrupt block (not a config key: bookkeeping no user would tune, ADR 038)
 */
public record ClientOptions(
    int maxLiveWants,
    int maxQueuedWants,
    Duration reaskAfter,
    Duration wantTimeout,
    int askedMemory) {

  public ClientOptions {
    if (maxLiveWants < 1 || maxQueuedWants < 0 || askedMemory < 1) {
      throw new IllegalArgumentException("client limits must be positive");
    }
    Objects.requireNonNull(reaskAfter, "reaskAfter");
    Objects.requireNonNull(wantTimeout, "wantTimeout");
    if (reaskAfter.toMillis() < 1 || wantTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("client timers must be at least 1 ms");
    }
  }

  public static ClientOptions defaults() {
    return new ClientOptions(64, 100_000, Duration.ofSeconds(5), Duration.ofSeconds(60), 8192);
  }

  public ClientOptions withTimers(Duration reaskAfter, Duration wantTimeout) {
    return new ClientOptions(maxLiveWants, maxQueuedWants, reaskAfter, wantTimeout, askedMemory);
  }
}
