package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.time.Duration;
import java.util.Objects;

/**
 * Cluster-wide rules: {@code {type: "cluster/settings", heartbeat, downAfter, strikes?,
 * confirmations?}}, times in milliseconds. Liveness and audit failures decide allocation, so every
 * member must judge them alike: they are a record of the log (the latest wins), not a per-node
 * setting.
 *
 * @param heartbeat how often each member announces liveness and free space
 * @param downAfter how long a member may be silent before its pins are re-allocated
 * @param strikes how many pins a member may fail audits for before it is allocated none (ADR 021)
 * @param confirmations how many members must log a failure of one pin that its evidence does not
 *     prove before it counts (fewer when the cluster has fewer other members; ADR 026)
 */
public record SettingsRecord(Duration heartbeat, Duration downAfter, int strikes, int confirmations)
    implements ClusterRecord {
  public static final String TYPE = "cluster/settings";

  public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
  public static final Duration MAX_DOWN_AFTER = Duration.ofDays(7);

  /** Audit strikes a member may take before it holds nothing, unless a settings record says so. */
  public static final int DEFAULT_STRIKES = 3;

  public static final int MAX_STRIKES = 1_000_000;

  /** Members that must log an unproved audit failure, unless a settings record says so. */
  public static final int DEFAULT_CONFIRMATIONS = 2;

  public static final int MAX_CONFIRMATIONS = 1024;

  /** What a cluster uses until a settings record says otherwise: 30 s, 2 min and 3 strikes. */
  public static final SettingsRecord DEFAULTS =
      new SettingsRecord(Duration.ofSeconds(30), Duration.ofMinutes(2));

  /** The timing {@code heartbeat} and {@code downAfter} with the default number of strikes. */
  public SettingsRecord(Duration heartbeat, Duration downAfter) {
    this(heartbeat, downAfter, DEFAULT_STRIKES);
  }

  /** The timing and strikes with the default number of confirmations. */
  public SettingsRecord(Duration heartbeat, Duration downAfter, int strikes) {
    this(heartbeat, downAfter, strikes, DEFAULT_CONFIRMATIONS);
  }

  /** The same rules with {@code n} strikes. */
  public SettingsRecord withStrikes(int n) {
    return new SettingsRecord(heartbeat, downAfter, n, confirmations);
  }

  /** The same rules with {@code n} confirmations. */
  public SettingsRecord withConfirmations(int n) {
    return new SettingsRecord(heartbeat, downAfter, strikes, n);
  }

  public SettingsRecord {
    if (confirmations < 1 || confirmations > MAX_CONFIRMATIONS) {
      throw new ClusterException(
          "audit confirmations must be 1.." + MAX_CONFIRMATIONS + ", got " + confirmations);
    }
    if (strikes < 1 || strikes > MAX_STRIKES) {
      throw new ClusterException("audit strikes must be 1.." + MAX_STRIKES + ", got " + strikes);
    }
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
    IpldMap.Builder b =
        IpldNode.map()
            .put("type", TYPE)
            .put("heartbeat", heartbeat.toMillis())
            .put("downAfter", downAfter.toMillis());
    // Left out at its default, so records written before audits existed keep their one encoding.
    if (strikes != DEFAULT_STRIKES) {
      b.put("strikes", strikes);
    }
    if (confirmations != DEFAULT_CONFIRMATIONS) {
      b.put("confirmations", confirmations);
    }
    return b.build();
  }
}
