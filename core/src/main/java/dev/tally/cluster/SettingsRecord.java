package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.time.Duration;
import java.util.Objects;

/**
 * Cluster-wide timing: {@code {type: "cluster/settings", heartbeat, downAfter}} in milliseconds.
 * Liveness decides allocation, so every member must judge it by the same timeout: it is a record of
 * the log (the latest wins), not a per-node setting.
 *
 * @param heartbeat how often each member announces liveness and free space
 * @param downAfter how long a member may be silent before its pins are re-allocated
 */
public record SettingsRecord(Duration heartbeat, Duration downAfter) implements ClusterRecord {
  public static final String TYPE = "cluster/settings";

  public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
  public static final Duration MAX_DOWN_AFTER = Duration.ofDays(7);

  /** What a cluster uses until a settings record says otherwise: 30 s and 2 min. */
  public static final SettingsRecord DEFAULTS =
      new SettingsRecord(Duration.ofSeconds(30), Duration.ofMinutes(2));

  public SettingsRecord {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(downAfter, "downAfter");
    if (heartbeat.compareTo(MIN_HEARTBEAT) < 0) {
      throw new ClusterException(
          "heartbeat interval must be at least " + MIN_HEARTBEAT.toMillis() + " ms");
    }
    if (downAfter.compareTo(heartbeat.multipliedBy(2)) < 0
        || downAfter.compareTo(MAX_DOWN_AFTER) > 0) {
      throw new ClusterException(
          "down-after ("
              + downAfter.toMillis()
              + " ms) must be at least two heartbeat intervals ("
              + heartbeat.multipliedBy(2).toMillis()
              + " ms), or live members would look dead between heartbeats, and at most 7 days");
    }
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map()
        .put("type", TYPE)
        .put("heartbeat", heartbeat.toMillis())
        .put("downAfter", downAfter.toMillis())
        .build();
  }
}
