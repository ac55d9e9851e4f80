package dev.tally.log.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit and timer of log replication.
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
 * @param maxRejectsPerPeer invalid entries accepted from one peer before its deltas are refused for
 *     {@code penalty} (16)
 * @param announceDebounce wait after a change before announcing heads, so a burst of appends is one
 *     announcement (50 ms)
 * @param antiEntropy interval of the periodic head announcement to every peer (10 s)
 * @param idleTimeout a request whose peer sends nothing this long fails (30 s)
 * @param penalty how long a peer that sent too many invalid entries is ignored (5 min)
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
    int maxRejectsPerPeer,
    Duration announceDebounce,
    Duration antiEntropy,
    Duration idleTimeout,
    Duration penalty) {
  public SyncOptions {
    Objects.requireNonNull(announceDebounce, "announceDebounce");
    Objects.requireNonNull(antiEntropy, "antiEntropy");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(penalty, "penalty");
    if (maxMessageBytes < 128 * 1024
        || maxBatchBytes < 1
        || maxBatchBytes > maxMessageBytes - 64 * 1024
        || maxBatchEntries < 1
        || maxCids < 1
        || maxDeltaEntries < 1
        || joinEntries < 1
        || maxLogsPerAnnounce < 1
        || maxServing < 1
        || maxRejectsPerPeer < 0
        || announceDebounce.isNegative()
        || antiEntropy.toMillis() < 1
        || idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException(
          "log sync limits must be positive, with maxMessageBytes >= 128 KiB and at least 64 KiB"
              + " (one entry) above maxBatchBytes");
    }
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
        16,
        Duration.ofMillis(50),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5));
  }

  public SyncOptions withAntiEntropy(Duration d) {
    return new SyncOptions(
        maxMessageBytes,
        maxBatchBytes,
        maxBatchEntries,
        maxCids,
        maxDeltaEntries,
        joinEntries,
        maxLogsPerAnnounce,
        maxServing,
        maxRejectsPerPeer,
        announceDebounce,
        d,
        idleTimeout,
        penalty);
  }

  public SyncOptions withMaxDeltaEntries(int n) {
    return new SyncOptions(
        maxMessageBytes,
        maxBatchBytes,
        maxBatchEntries,
        maxCids,
        n,
        joinEntries,
        maxLogsPerAnnounce,
        maxServing,
        maxRejectsPerPeer,
        announceDebounce,
        antiEntropy,
        idleTimeout,
        penalty);
  }

  public SyncOptions withMaxRejectsPerPeer(int n) {
    return new SyncOptions(
        maxMessageBytes,
        maxBatchBytes,
        maxBatchEntries,
        maxCids,
        maxDeltaEntries,
        joinEntries,
        maxLogsPerAnnounce,
        maxServing,
        n,
        announceDebounce,
        antiEntropy,
        idleTimeout,
        penalty);
  }
}
