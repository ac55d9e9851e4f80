package dev.tally.log.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit and timer of log replication. The repo config sets them under {@code Log.Sync}, each
 * key being the component's name capitalised ({@code Log.Sync.MaxBatchBytes}); errors name them
 * that way.
 *
 * @param maxMessageBytes largest message sent or accepted (4 MiB)
 * @param maxBatchBytes entry bytes the server packs into one batch message (1 MiB)
 * @param maxBatchEntries entries in one batch message (4096)
 * @param maxCids CIDs in one list of heads, haves or wants (1024)
 * @param maxDeltaEntries entries one request asks for; a bigger delta takes further requests
 *     (1,000,000)
 * @param joinEntries entries the client verifies and stores at a time (4096)
 * @param maxLogsPerAnnounce logs one announcement stream may name (4096)
 * @param maxServing delta requests served at once, over all peers (8)
 * @param maxServingPerPeer delta requests served at once to one peer (2)
 * @param maxRejectsPerPeer invalid entries accepted from one peer before its deltas are refused for
 *     {@code penalty} (16)
 * @param announceDebounce wait after a change before announcing heads, so a burst of appends is one
 *     announcement (50 ms)
 * @param antiEntropy interval of the periodic head announcement to every peer (10 s)
 * @param idleTimeout a request whose peer sends nothing this long fails (30 s)
 * @param penalty how long a peer that sent too many invalid entries is ignored (5 min)
 * @param maxCheckpointBytes largest checkpoint bundle sent to or accepted from a peer, which a
 *     fresh replica asks for before the history (64 MiB: the order index of about 1.6 million
 *     entries)
 */
public record SyncOptions(
    int maxMessageBytes,
    int maxBatchBytes,
    int maxBatchEntries,
    int maxCids,
    int maxDeltaEntries,
    int joinEntries,
    int maxLogsPerAnnounce,
    int maxServing,
    int maxServingPerPeer,
    int maxRejectsPerPeer,
    Duration announceDebounce,
    Duration antiEntropy,
    Duration idleTimeout,
    Duration penalty,
    int maxCheckpointBytes) {
  /** The smallest message limit: one entry (64 KiB) and its framing must fit. */
  public static final int MIN_MESSAGE_BYTES = 128 * 1024;

  /** The largest message limit: what one message may make a peer buffer. */
  public static final int MAX_MESSAGE_BYTES = 64 << 20;

  /** The largest checkpoint bundle limit: what one answer may make a fresh replica buffer. */
  public static final int MAX_CHECKPOINT_BYTES = 1 << 30;

  /** What a batch message may need beyond its entry bytes: one more entry and the framing. */
  static final int BATCH_OVERHEAD = 64 * 1024;

  public SyncOptions {
    if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > MAX_MESSAGE_BYTES) {
      throw invalid(
          "MaxMessageBytes",
          maxMessageBytes,
          "between " + MIN_MESSAGE_BYTES + " and " + MAX_MESSAGE_BYTES);
    }
    if (maxBatchBytes < 1 || maxBatchBytes > maxMessageBytes - BATCH_OVERHEAD) {
      throw invalid(
          "MaxBatchBytes",
          maxBatchBytes,
          "between 1 and MaxMessageBytes - "
              + BATCH_OVERHEAD
              + " ("
              + (maxMessageBytes - BATCH_OVERHEAD)
              + ") so that a batch and its last entry fit in one message");
    }
    atLeast("MaxBatchEntries", maxBatchEntries, 1);
    atLeast("MaxCids", maxCids, 1);
    atLeast("MaxDeltaEntries", maxDeltaEntries, 1);
    atLeast("JoinEntries", joinEntries, 1);
    atLeast("MaxLogsPerAnnounce", maxLogsPerAnnounce, 1);
    atLeast("MaxServing", maxServing, 1);
    if (maxServingPerPeer < 1 || maxServingPerPeer > maxServing) {
      throw invalid("MaxServingPerPeer", maxServingPerPeer, "between 1 and MaxServing");
    }
    atLeast("MaxRejectsPerPeer", maxRejectsPerPeer, 0);
    Objects.requireNonNull(announceDebounce, "announceDebounce");
    Objects.requireNonNull(antiEntropy, "antiEntropy");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(penalty, "penalty");
    if (announceDebounce.isNegative()) {
      throw invalid("AnnounceDebounce", announceDebounce, "zero or more");
    }
    atLeast("AntiEntropy", antiEntropy, Duration.ofMillis(1));
    atLeast("IdleTimeout", idleTimeout, Duration.ofMillis(1));
    if (penalty.isNegative()) {
      throw invalid("Penalty", penalty, "zero or more");
    }
    if (maxCheckpointBytes < MIN_MESSAGE_BYTES || maxCheckpointBytes > MAX_CHECKPOINT_BYTES) {
      throw invalid(
          "MaxCheckpointBytes",
          maxCheckpointBytes,
          "between " + MIN_MESSAGE_BYTES + " and " + MAX_CHECKPOINT_BYTES);
    }
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw invalid(key, value, "at least " + min);
    }
  }

  private static void atLeast(String key, Duration value, Duration min) {
    if (value.compareTo(min) < 0) {
      throw invalid(key, value, "at least " + min.toMillis() + "ms");
    }
  }

  private static IllegalArgumentException invalid(String key, Object value, String what) {
    String shown = value instanceof Duration d ? d.toMillis() + "ms" : String.valueOf(value);
    return new IllegalArgumentException(key + " must be " + what + ", got " + shown);
  }

  public static SyncOptions defaults() {
    return new SyncOptions(
        4 << 20,
        1 << 20,
        4096,
        1024,
        1_000_000,
        4096,
        4096,
        8,
        2,
        16,
        Duration.ofMillis(50),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        64 << 20);
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  public SyncOptions withAntiEntropy(Duration d) {
    return toBuilder().antiEntropy(d).build();
  }

  public SyncOptions withMaxDeltaEntries(int n) {
    return toBuilder().maxDeltaEntries(n).build();
  }

  public SyncOptions withMaxRejectsPerPeer(int n) {
    return toBuilder().maxRejectsPerPeer(n).build();
  }

  /** Sets options one at a time; {@link #build} validates them together. */
  public static final class Builder {
    private int maxMessageBytes;
    private int maxBatchBytes;
    private int maxBatchEntries;
    private int maxCids;
    private int maxDeltaEntries;
    private int joinEntries;
    private int maxLogsPerAnnounce;
    private int maxServing;
    private int maxServingPerPeer;
    private int maxRejectsPerPeer;
    private Duration announceDebounce;
    private Duration antiEntropy;
    private Duration idleTimeout;
    private Duration penalty;
    private int maxCheckpointBytes;

    private Builder(SyncOptions o) {
      maxMessageBytes = o.maxMessageBytes;
      maxBatchBytes = o.maxBatchBytes;
      maxBatchEntries = o.maxBatchEntries;
      maxCids = o.maxCids;
      maxDeltaEntries = o.maxDeltaEntries;
      joinEntries = o.joinEntries;
      maxLogsPerAnnounce = o.maxLogsPerAnnounce;
      maxServing = o.maxServing;
      maxServingPerPeer = o.maxServingPerPeer;
      maxRejectsPerPeer = o.maxRejectsPerPeer;
      announceDebounce = o.announceDebounce;
      antiEntropy = o.antiEntropy;
      idleTimeout = o.idleTimeout;
      penalty = o.penalty;
      maxCheckpointBytes = o.maxCheckpointBytes;
    }

    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    public Builder maxBatchBytes(int v) {
      maxBatchBytes = v;
      return this;
    }

    public Builder maxBatchEntries(int v) {
      maxBatchEntries = v;
      return this;
    }

    public Builder maxCids(int v) {
      maxCids = v;
      return this;
    }

    public Builder maxDeltaEntries(int v) {
      maxDeltaEntries = v;
      return this;
    }

    public Builder joinEntries(int v) {
      joinEntries = v;
      return this;
    }

    public Builder maxLogsPerAnnounce(int v) {
      maxLogsPerAnnounce = v;
      return this;
    }

    public Builder maxServing(int v) {
      maxServing = v;
      return this;
    }

    public Builder maxServingPerPeer(int v) {
      maxServingPerPeer = v;
      return this;
    }

    public Builder maxRejectsPerPeer(int v) {
      maxRejectsPerPeer = v;
      return this;
    }

    public Builder announceDebounce(Duration v) {
      announceDebounce = v;
      return this;
    }

    public Builder antiEntropy(Duration v) {
      antiEntropy = v;
      return this;
    }

    public Builder idleTimeout(Duration v) {
      idleTimeout = v;
      return this;
    }

    public Builder penalty(Duration v) {
      penalty = v;
      return this;
    }

    public Builder maxCheckpointBytes(int v) {
      maxCheckpointBytes = v;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public SyncOptions build() {
      return new SyncOptions(
          maxMessageBytes,
          maxBatchBytes,
          maxBatchEntries,
          maxCids,
          maxDeltaEntries,
          joinEntries,
          maxLogsPerAnnounce,
          maxServing,
          maxServingPerPeer,
          maxRejectsPerPeer,
          announceDebounce,
          antiEntropy,
          idleTimeout,
          penalty,
          maxCheckpointBytes);
    }
  }
}
