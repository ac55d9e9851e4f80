package dev.tally.storage.repo;

import dev.tally.cluster.AuditSchedule;
import dev.tally.cluster.ClusterException;
import dev.tally.cluster.ClusterOptions;
import dev.tally.cluster.audit.AuditOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The config's {@code Cluster} section: how this node takes part in a cluster's storage audits (ADR
 * 021, ADR 026) and how often, as a signer, it proposes checkpoints (ADR 029). Per-node choices:
 * audit results are logged and any signer's checkpoint is endorsed, so members need not agree on
 * them. The rules every member must share (strikes, confirmations) are cluster settings in the log
 * instead.
 *
 * <pre>{@code
 * "Cluster": {
 *   "Audit": {
 *     "Interval": "1m",       // time between this node's audit rounds
 *     "PerRound": 4,          // (peer, pin) pairs challenged per round; 0 audits nobody
 *     "AnswerTimeout": "10s", // how long a challenger waits for each answer
 *     "MaxServing": 16        // audit streams this node answers at once; more are told busy
 *   },
 *   "CheckpointEvery": 10000  // entries after the latest checkpoint at which a signer proposes one
 * }
 * }</pre>
 *
 * @param audits the schedule of this node's audit rounds
 * @param protocol the audit protocol's limits, as prover and as challenger
 * @param checkpointEvery entries after a cluster log's latest checkpoint at which this node, when
 *     it is one of the log's signers, proposes the next one with the pinset's snapshot
 */
public record ClusterSection(AuditSchedule audits, AuditOptions protocol, long checkpointEvery) {
  /** The longest audit interval accepted: a day. */
  public static final Duration MAX_INTERVAL = Duration.ofDays(1);

  /** The longest answer timeout accepted. */
  public static final Duration MAX_ANSWER_TIMEOUT = Duration.ofMinutes(10);

  public static final int MAX_SERVING = 4096;

  /**
   * The closest checkpoint spacing accepted. Each checkpoint is itself an entry, each other signer
   * adds an endorsement, and each carries a snapshot of the whole pinset: spaced closer than this,
   * a cluster would spend more of its log and store on checkpoints than on pins.
   */
  public static final long MIN_CHECKPOINT_EVERY = 100;

  /** The widest checkpoint spacing accepted: beyond it a log would in practice never checkpoint. */
  public static final long MAX_CHECKPOINT_EVERY = 100_000_000;

  private static final Set<String> AUDIT_KEYS =
      Set.of("Interval", "PerRound", "AnswerTimeout", "MaxServing");

  public ClusterSection {
    Objects.requireNonNull(audits, "audits");
    Objects.requireNonNull(protocol, "protocol");
    if (audits.interval().compareTo(MAX_INTERVAL) > 0) {
      throw new RepoException("config: 'Cluster.Audit.Interval' must be at most 24h");
    }
    if (protocol.answerTimeout().compareTo(MAX_ANSWER_TIMEOUT) > 0) {
      throw new RepoException("config: 'Cluster.Audit.AnswerTimeout' must be at most 10m");
    }
    if (protocol.maxServing() > MAX_SERVING) {
      throw new RepoException("config: 'Cluster.Audit.MaxServing' must be at most " + MAX_SERVING);
    }
    if (checkpointEvery < MIN_CHECKPOINT_EVERY || checkpointEvery > MAX_CHECKPOINT_EVERY) {
      throw new RepoException(
          "config: 'Cluster.CheckpointEvery' must be between "
              + MIN_CHECKPOINT_EVERY
              + " and "
              + MAX_CHECKPOINT_EVERY
              + " entries, got "
              + checkpointEvery
              + " (the default is "
              + ClusterOptions.CHECKPOINT_EVERY
              + ")");
    }
  }

  public static ClusterSection defaults() {
    return new ClusterSection(
        AuditSchedule.defaults(), AuditOptions.defaults(), ClusterOptions.CHECKPOINT_EVERY);
  }

  /** {@code base} with this section's audit schedule and checkpoint spacing. */
  public ClusterOptions applyTo(ClusterOptions base) {
    return base.withAudits(audits).withCheckpointEvery(checkpointEvery);
  }

  static ClusterSection parse(JsonObject section) {
    LogSection.rejectUnknown(section, Set.of("Audit", "CheckpointEvery"), "Cluster.");
    long every =
        section.containsKey("CheckpointEvery")
            ? LogSection.integer("Cluster.CheckpointEvery", section.getValue("CheckpointEvery"))
            : ClusterOptions.CHECKPOINT_EVERY;
    Object a = section.getValue("Audit");
    if (a == null) {
      ClusterSection d = defaults();
      return new ClusterSection(d.audits(), d.protocol(), every);
    }
    if (!(a instanceof JsonObject audit)) {
      throw new RepoException("config: 'Cluster.Audit' must be an object");
    }
    LogSection.rejectUnknown(audit, AUDIT_KEYS, "Cluster.Audit.");
    ClusterSection d = defaults();
    Duration interval =
        audit.containsKey("Interval")
            ? LogSection.duration("Cluster.Audit.Interval", audit.getValue("Interval"))
            : d.audits().interval();
    int perRound =
        audit.containsKey("PerRound")
            ? LogSection.integer("Cluster.Audit.PerRound", audit.getValue("PerRound"))
            : d.audits().perRound();
    Duration timeout =
        audit.containsKey("AnswerTimeout")
            ? LogSection.duration("Cluster.Audit.AnswerTimeout", audit.getValue("AnswerTimeout"))
            : d.protocol().answerTimeout();
    int serving =
        audit.containsKey("MaxServing")
            ? LogSection.integer("Cluster.Audit.MaxServing", audit.getValue("MaxServing"))
            : d.protocol().maxServing();
    AuditSchedule schedule;
    try {
      schedule = new AuditSchedule(interval, perRound);
    } catch (ClusterException e) {
      throw new RepoException(
          "config: 'Cluster.Audit."
              + (interval.isZero() || interval.isNegative() ? "Interval" : "PerRound")
              + "': "
              + e.getMessage(),
          e);
    }
    AuditOptions protocol;
    try {
      protocol =
          new AuditOptions(
              d.protocol().maxRequestBytes(),
              d.protocol().maxAnswerBytes(),
              d.protocol().maxRequestsPerStream(),
              timeout,
              serving);
    } catch (IllegalArgumentException e) {
      throw new RepoException(
          "config: 'Cluster.Audit."
              + (serving < 1 ? "MaxServing" : "AnswerTimeout")
              + "': "
              + e.getMessage(),
          e);
    }
    return new ClusterSection(schedule, protocol, every);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put(
            "Audit",
            new JsonObject()
                .put("Interval", LogSection.text(audits.interval()))
                .put("PerRound", audits.perRound())
                .put("AnswerTimeout", LogSection.text(protocol.answerTimeout()))
                .put("MaxServing", protocol.maxServing()))
        .put("CheckpointEvery", checkpointEvery);
  }
}
