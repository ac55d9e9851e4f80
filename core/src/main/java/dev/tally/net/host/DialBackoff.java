package dev.tally.net.host;

import dev.tally.multiformats.Multiaddr;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Per-address dial back-off, as go-libp2p's swarm keeps it: after the n-th consecutive failure an
 * address is not dialled again for {@code base + coefficient·n²}, capped at {@code max}; a
 * successful dial forgets it. A peer that cannot be reached is then not redialled in a loop by
 * whoever keeps asking for it (bootstrap, connect by peer id, a retrying fetch).
 *
 * <p>Bounded: at most {@code capacity} addresses are remembered, the oldest forgotten first.
 * Thread-safe.
 */
public final class DialBackoff {
  private record Entry(int failures, long untilNanos) {}

  private final long baseNanos;
  private final long coefficientNanos;
  private final long maxNanos;
  private final int capacity;
  private final LongSupplier clock;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public DialBackoff(Duration base, Duration coefficient, Duration max, int capacity) {
    this(base, coefficient, max, capacity, System::nanoTime);
  }

  /** A back-off with {@code options}' timings. */
  public DialBackoff(DialBackoffOptions options) {
    this(options.base(), options.coefficient(), options.max(), options.capacity());
  }

  DialBackoff(Duration base, Duration coefficient, Duration max, int capacity, LongSupplier clock) {
    if (base.isNegative() || coefficient.isNegative() || max.compareTo(base) < 0 || capacity < 1) {
      throw new IllegalArgumentException(
          "dial back-off needs base, coefficient >= 0, max >= base, capacity >= 1");
    }
    this.baseNanos = base.toNanos();
    this.coefficientNanos = coefficient.toNanos();
    this.maxNanos = max.toNanos();
    this.capacity = capacity;
    this.clock = clock;
  }

  /** How long {@code addr} is still backed off, or empty if it may be dialled now. */
  public synchronized Optional<Duration> remaining(Multiaddr addr) {
    Entry e = entries.get(addr.toString());
    if (e == null) {
      return Optional.empty();
    }
    long left = e.untilNanos() - clock.getAsLong();
    return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
  }

  /** Records a failed dial of {@code addr}; returns the back-off it now has. */
  public synchronized Duration failed(Multiaddr addr) {
    String key = addr.toString();
    Entry old = entries.remove(key);
    int failures = old == null ? 1 : old.failures() + 1;
    long n = Math.min(failures, 1_000_000);
    long wait = Math.min(maxNanos, saturatedAdd(baseNanos, saturatedMul(coefficientNanos, n * n)));
    entries.put(key, new Entry(failures, clock.getAsLong() + wait));
    if (entries.size() > capacity) {
      Iterator<String> oldest = entries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return Duration.ofNanos(wait);
  }

  /** Forgets {@code addr}'s failures after a successful dial. */
  public synchronized void succeeded(Multiaddr addr) {
    entries.remove(addr.toString());
  }

  private static long saturatedMul(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
  }

  private static long saturatedAdd(long a, long b) {
    long s = a + b;
    return s < 0 ? Long.MAX_VALUE : s;
  }
}
