package dev.tally.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * This member's own timing (the cluster-wide heartbeat and down-after times are in the log, see
 * {@link SettingsRecord}).
 *
 * @param syncInterval how often the tracker is brought in line with the allocation (and failed pins
 *     whose back-off has passed are retried)
 * @param tracker the pin tracker's limits
 * @param audits how often this member audits the others (when it has a {@link Challenger})
 */
public record ClusterOptions(Duration syncInterval, TrackerOptions tracker, AuditSchedule audits) {
  /** Options with the default audit schedule. */
  public ClusterOptions(Duration syncInterval, TrackerOptions tracker) {
    this(syncInterval, tracker, AuditSchedule.defaults());
  }

  public ClusterOptions withAudits(AuditSchedule schedule) {
    return new ClusterOptions(syncInterval, tracker, schedule);
  }

  public ClusterOptions {
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(audits, "audits");
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new ClusterException("the sync interval must be > 0");
    }
  }

  /** Sync every 2 s. */
  public static ClusterOptions defaults() {
    return new ClusterOptions(Duration.ofSeconds(2), TrackerOptions.defaults());
  }
}
