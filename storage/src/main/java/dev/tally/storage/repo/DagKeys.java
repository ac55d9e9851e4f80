package dev.tally.storage.repo;

import dev.tally.exchange.dag.DagOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * The config's {@code Internal.Dag} keys: the limits of Tally's own {@code /tally/dag/1.0.0}
 * protocol (ADR 010), both as server and as client. Kubo has no such protocol, so the names are
 * ours, in the style of {@code Internal.Bitswap} (ADR 038).
 *
 * <pre>{@code
 * "Dag": {
 *   "FetchWithPeers": true,            // DAG fetches ask peers that speak the protocol
 *   "MaxRoots": 1024,                  // roots one request may name; more: refused
 *   "MaxStopCids": 4096,               // "stop at" CIDs one request may name; more: refused
 *   "MaxBlocksPerResponse": 10000000,  // blocks one response carries, whatever is asked
 *   "CreditWindow": 8388608,           // bytes we let a peer send ahead of what we stored
 *   "MaxConcurrentResponses": 16,      // requests answered at once, all peers; more: refused
 *   "IdleTimeout": "30s"               // a response with no progress this long is reset
 * }
 * }</pre>
 */
final class DagKeys {
  private DagKeys() {}

  private static final String P = "Internal.Dag.";

  /** Room for a section's CID and its length prefix beside the largest block. */
  private static final int SECTION_ROOM = 1024;

  private static final Set<String> KEYS =
      Set.of(
          "FetchWithPeers",
          "MaxRoots",
          "MaxStopCids",
          "MaxBlocksPerResponse",
          "CreditWindow",
          "MaxConcurrentResponses",
          "IdleTimeout");

  /**
   * @param maxBlockSize {@code Internal.Bitswap.MaxBlockSize}: the credit must let the largest
   *     block through, or a response would wait for credit that never comes
   */
  static DagOptions parse(JsonObject d, int maxBlockSize) {
    LogSection.rejectUnknown(d, KEYS, P);
    DagOptions def = DagOptions.defaults();
    int minCredit = Math.max(DagOptions.MIN_CREDIT, maxBlockSize + SECTION_ROOM);
    return new DagOptions(
        Knobs.flag(d, P, "FetchWithPeers", def.fetchWithPeers()),
        // A request frame is at most 512 KiB (the protocol's): these bound a request inside it.
        Knobs.intCount(d, P, "MaxRoots", def.maxRoots(), 1, 4096),
        Knobs.intCount(d, P, "MaxStopCids", def.maxStop(), 0, 8192),
        Knobs.count(d, P, "MaxBlocksPerResponse", def.maxBlocks(), 1, 1_000_000_000_000L),
        (int)
            Knobs.count(
                d,
                P,
                "CreditWindow",
                def.creditWindow(),
                minCredit,
                "at least Internal.Bitswap.MaxBlockSize plus 1 KiB",
                1 << 30,
                ""),
        Knobs.intCount(d, P, "MaxConcurrentResponses", def.maxServing(), 1, 4096),
        Knobs.duration(
            d, P, "IdleTimeout", def.idleTimeout(), Duration.ofSeconds(1), Duration.ofHours(1)));
  }

  static JsonObject toJson(DagOptions o) {
    return new JsonObject()
        .put("FetchWithPeers", o.fetchWithPeers())
        .put("MaxRoots", o.maxRoots())
        .put("MaxStopCids", o.maxStop())
        .put("MaxBlocksPerResponse", o.maxBlocks())
        .put("CreditWindow", o.creditWindow())
        .put("MaxConcurrentResponses", o.maxServing())
        .put("IdleTimeout", LogSection.text(o.idleTimeout()));
  }
}
