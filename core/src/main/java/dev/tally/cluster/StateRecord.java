package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * What the author's pin tracker did with {@code cid}: {@code {type: "cluster/state", cid, status,
 * error}}, so every member can show each allocated peer's status. Only outcomes are logged ({@code
 * pinned}, {@code failed}, {@code unpinned}); queued and pinning are local and transient.
 *
 * @param error why it failed; empty otherwise
 */
public record StateRecord(Cid cid, PinState status, String error) implements ClusterRecord {
  public static final String TYPE = "cluster/state";

  public static final int MAX_ERROR = 512;

  public StateRecord {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(error, "error");
    if (status != PinState.PINNED && status != PinState.FAILED && status != PinState.UNPINNED) {
      throw new ClusterException("only pinned, failed and unpinned are logged, not " + status);
    }
    if (error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR);
    }
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map()
        .put("type", TYPE)
        .put("cid", cid)
        .put("status", status.toString())
        .put("error", error)
        .build();
  }
}
