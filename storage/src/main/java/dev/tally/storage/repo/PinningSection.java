package dev.tally.storage.repo;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The config's {@code PinningService} section: how the daemon carries out the IPFS Pinning Service
 * API's pin requests.
 *
 * <pre>{@code
 * "PinningService": {
 *   "Backend": "auto",        // auto: the cluster when this node is a member, else this node
 *   "ReplicationMin": 2,      // replicas a cluster pin needs before it reports "pinned"
 *   "ReplicationMax": 3       // replicas a cluster pin may have
 * }
 * }</pre>
 *
 * A request's {@code meta} may ask for other factors with {@code replication-min} and {@code
 * replication-max}.
 *
 * @param backend {@code auto}, {@code local} (always this node's own pins) or {@code cluster}
 *     (refuse to pin while this node is in no cluster)
 * @param replicationMin default minimum replicas of a cluster-backed pin
 * @param replicationMax default maximum replicas of a cluster-backed pin
 */
public record PinningSection(String backend, int replicationMin, int replicationMax) {
  public static final List<String> BACKENDS = List.of("auto", "local", "cluster");

  /** The most replicas a pin may ask for (as a cluster pin record allows). */
  public static final int MAX_REPLICATION = 1024;

  private static final Set<String> KEYS = Set.of("Backend", "ReplicationMin", "ReplicationMax");

  public PinningSection {
    if (!BACKENDS.contains(backend)) {
      throw new RepoException(
          "config: PinningService.Backend must be one of " + BACKENDS + ", got '" + backend + "'");
    }
    if (replicationMin < 1 || replicationMin > MAX_REPLICATION) {
      throw new RepoException(
          "config: PinningService.ReplicationMin must be 1.."
              + MAX_REPLICATION
              + ", got "
              + replicationMin);
    }
    if (replicationMax < replicationMin || replicationMax > MAX_REPLICATION) {
      throw new RepoException(
          "config: PinningService.ReplicationMax must be ReplicationMin ("
              + replicationMin
              + ").."
              + MAX_REPLICATION
              + ", got "
              + replicationMax);
    }
  }

  public static PinningSection defaults() {
    return new PinningSection("auto", 2, 3);
  }

  static PinningSection parse(JsonObject section) {
    for (String key : section.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new RepoException("config: unknown key 'PinningService." + key + "'");
      }
    }
    PinningSection d = defaults();
    Object backend = section.getValue("Backend", d.backend());
    Object min = section.getValue("ReplicationMin", d.replicationMin());
    Object max = section.getValue("ReplicationMax", d.replicationMax());
    if (!(backend instanceof String b)) {
      throw new RepoException("config: 'PinningService.Backend' must be a string");
    }
    if (!(min instanceof Integer lo) || !(max instanceof Integer hi)) {
      throw new RepoException(
          "config: 'PinningService.ReplicationMin' and 'ReplicationMax' must be integers");
    }
    return new PinningSection(b, lo, hi);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("Backend", backend)
        .put("ReplicationMin", replicationMin)
        .put("ReplicationMax", replicationMax);
  }
}
