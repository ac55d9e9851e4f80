package dev.tally.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How often this member audits others (a per-node choice: results are logged, so members need not
 * agree on it).
 *
 * @param interval time between audit rounds
 * @param perRound (peer, pin) pairs challenged per round, chosen at random among the pins other
 *     peers reported pinned
 */
public record AuditSchedule(Duration interval, int perRound) {
  public static final int MAX_PER_ROUND = 1024;

  public AuditSchedule {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new ClusterException("the audit interval must be > 0");
    }
    if (perRound < 0 || perRound > MAX_PER_ROUND) {
      throw new ClusterException(
          "audits per round must be 0.." + MAX_PER_ROUND + ", got " + perRound);
    }
  }

  /** Four audits a minute. */
  public static AuditSchedule defaults() {
    return new AuditSchedule(Duration.ofMinutes(1), 4);
  }
}
