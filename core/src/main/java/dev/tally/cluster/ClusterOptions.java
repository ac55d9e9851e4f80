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
 * @param checkpointEvery entries after the latest checkpoint at which a signer proposes the next
 *     one, carrying the pinset's snapshot (0: never)
 */
public record ClusterOptions(
    Duration syncInterval, TrackerOptions tracker, AuditSchedule audits, long checkpointEvery) {
  /** Checkpoints every 10,000 entries unless set otherwise. */
  public static final long CHECKPOINT_EVERY = 10_000;

  /** Options with the default audit schedule and checkpoint spacing. */
  public ClusterOptions(Duration syncInterval, TrackerOptions tracker) {
    this(syncInterval, tracker, AuditSchedule.defaults(), CHECKPOINT_EVERY);
  }

  /** Options with the default checkpoint spacing. */
  public ClusterOptions(Duration syncInterval, TrackerOptions tracker, AuditSchedule audits) {
    this(syncInterval, tracker, audits, CHECKPOINT_EVERY);
  }

  public ClusterOptions withAudits(AuditSchedule schedule) {
    return new ClusterOptions(syncInterval, tracker, schedule, checkpointEvery);
  }

  public ClusterOptions withCheckpointEvery(long entries) {
    return new ClusterOptions(syncInterval, tracker, audits, entries);
  }

  public ClusterOptions {
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(audits, "audits");
    if (checkpointEvery < 0) {
      throw new ClusterException("checkpoint spacing must be >= 0 entries, got " + checkpointEvery);
    }
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new ClusterException("the sync interval must be > 0");
    }
  }

  /** Sync every 2 s. */
  public static ClusterOptions defaults() {
    return new ClusterOptions(Duration.ofSeconds(2), TrackerOptions.defaults());
  }
}
