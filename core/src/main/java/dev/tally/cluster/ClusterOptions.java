package dev.tally.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of a cluster member.
 *
 * @param heartbeatInterval how often this member announces liveness and free space
 * @param downAfter how long a member may be silent before its pins are re-allocated
 * @param syncInterval how often the tracker is brought in line with the allocation (and failed pins
 *     whose back-off has passed are retried)
 * @param tracker the pin tracker's limits
 */
public record ClusterOptions(
    Duration heartbeatInterval, Duration downAfter, Duration syncInterval, TrackerOptions tracker) {
  public ClusterOptions {
    Objects.requireNonNull(tracker, "tracker");
    if (heartbeatInterval.isNegative()
        || heartbeatInterval.isZero()
        || syncInterval.isNegative()
        || syncInterval.isZero()) {
      throw new ClusterException("heartbeat and sync intervals must be > 0");
    }
    if (downAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new ClusterException(
          "downAfter ("
              + downAfter
              + ") must be at least two heartbeat intervals ("
              + heartbeatInterval.multipliedBy(2)
              + "), or live members would look dead between heartbeats");
    }
  }

  /** Heartbeats every 30 s, re-allocation after 2 min of silence, sync every 5 s. */
  public static ClusterOptions defaults() {
    return new ClusterOptions(
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        Duration.ofSeconds(5),
        TrackerOptions.defaults());
  }
}
