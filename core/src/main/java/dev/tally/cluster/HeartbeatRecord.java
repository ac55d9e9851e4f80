package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;

/**
 * A member's signed liveness and metrics: {@code {type: "cluster/heartbeat", at, free}}.
 *
 * @param at the author's wall clock, milliseconds since the epoch
 * @param free bytes the author can still store (what allocation weighs members by)
 */
public record HeartbeatRecord(long at, long free) implements ClusterRecord {
  public static final String TYPE = "cluster/heartbeat";

  public HeartbeatRecord {
    if (at < 0 || free < 0) {
      throw new ClusterException("heartbeat time and free space must be >= 0");
    }
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map().put("type", TYPE).put("at", at).put("free", free).build();
  }
}
