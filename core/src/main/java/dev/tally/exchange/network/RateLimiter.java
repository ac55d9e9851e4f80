package dev.tally.exchange.network;

/**
 * Caps the bytes per second a node uploads to all peers together (a token bucket measured in time):
 * each send reserves its bytes and is told how long to wait so that, over any window, no more than
 * {@code bytesPerSecond} leave plus one burst. A rate of 0 means unlimited. Confined to the
 * exchange context.
 */
public final class RateLimiter {
  private final long bytesPerSecond;
  private final long burstNanos;
  private long nextFreeNanos = Long.MIN_VALUE / 2;

  /**
   * @param bytesPerSecond upload cap; 0 for none
   * @param burstNanos how far the bucket may run ahead after an idle spell (its depth, as time)
   */
  public RateLimiter(long bytesPerSecond, long burstNanos) {
    if (bytesPerSecond < 0 || burstNanos < 0) {
      throw new IllegalArgumentException("rate and burst must not be negative");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burstNanos = burstNanos;
  }

  public static RateLimiter unlimited() {
    return new RateLimiter(0, 0);
  }

  public boolean limited() {
    return bytesPerSecond > 0;
  }

  /** Reserves {@code bytes} and returns the milliseconds to wait before sending them. */
  public long reserveMillis(long bytes) {
    if (bytesPerSecond == 0 || bytes <= 0) {
      return 0;
    }
    long now = System.nanoTime();
    // Credit accumulated while idle is capped at one burst.
    nextFreeNanos = Math.max(nextFreeNanos, now - burstNanos);
    long start = nextFreeNanos;
    nextFreeNanos += (long) (bytes * 1e9 / bytesPerSecond);
    return Math.max(0, (start - now) / 1_000_000);
  }
}
