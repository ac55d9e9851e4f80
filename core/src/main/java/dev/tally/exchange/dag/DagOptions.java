package dev.tally.exchange.dag;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the {@code /tally/dag/1.0.0} protocol, both sides. The daemon reads each from {@code
 * config.json}'s {@code Internal.Dag} section (ADR 038).
 *
 * @param fetchWithPeers whether DAG fetches send DAG requests to peers that speak the protocol
 *     (Bitswap still fetches whatever they lack)
 * @param maxRoots roots one request may name (the server refuses more)
 * @param maxStop "stop at" CIDs one request may name (the server refuses more)
 * @param maxBlocks blocks one response may carry, whatever the request asks
 * @param creditWindow bytes the receiver grants ahead of what it has consumed; at least one maximal
 *     block plus its CID, so a block never waits for credit that cannot come
 * @param maxServing requests the server answers at once across peers; more are refused
 * @param idleTimeout a response stream with no progress (no credit, no bytes) for this long is
 *     reset
 */
public record DagOptions(
    boolean fetchWithPeers,
    int maxRoots,
    int maxStop,
    long maxBlocks,
    int creditWindow,
    int maxServing,
    Duration idleTimeout) {

  /** The least credit a request may grant: a 2 MiB block, its CID and section header. */
  public static final int MIN_CREDIT = 2 * 1024 * 1024 + 1024;

  public DagOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxRoots < 1 || maxStop < 0 || maxBlocks < 1 || maxServing < 1) {
      throw new IllegalArgumentException("DAG protocol limits must be positive");
    }
    if (creditWindow < MIN_CREDIT) {
      throw new IllegalArgumentException(
          "creditWindow must be at least " + MIN_CREDIT + " bytes (one maximal block)");
    }
    if (idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("idleTimeout must be at least 1 ms");
    }
  }

  public static DagOptions defaults() {
    return new DagOptions(
        true, 1024, 4096, 10_000_000, 8 * 1024 * 1024, 16, Duration.ofSeconds(30));
  }

  public DagOptions withFetchWithPeers(boolean on) {
    return new DagOptions(on, maxRoots, maxStop, maxBlocks, creditWindow, maxServing, idleTimeout);
  }
}
