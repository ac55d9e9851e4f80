package dev.tally.cluster;

import java.time.Duration;

/**
 * Limits of the pin tracker.
 *
 * @param concurrency pins fetched at once
 * @param retryBase the wait after a pin's first failure; it doubles per failure
 * @param retryMax the longest wait between retries
 */
public record TrackerOptions(int concurrency, Duration retryBase, Duration retryMax) {
  public TrackerOptions {
    if (concurrency < 1) {
      throw new ClusterException("tracker concurrency must be >= 1, got " + concurrency);
    }
    if (retryBase.isNegative() || retryMax.compareTo(retryBase) < 0) {
      throw new ClusterException("retry waits must satisfy 0 <= base <= max");
    }
  }

  public static TrackerOptions defaults() {
    return new TrackerOptions(4, Duration.ofSeconds(5), Duration.ofMinutes(10));
  }

  /** The wait before the next attempt after {@code failures} failures (1 or more). */
  Duration backoff(int failures) {
    int shift = Math.min(failures - 1, 30);
    long millis = retryBase.toMillis() << shift;
    return millis < 0 || millis > retryMax.toMillis() ? retryMax : Duration.ofMillis(millis);
  }
}
