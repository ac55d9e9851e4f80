package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.util.Objects;

/**
 * {@code member} leaves the cluster (by itself, or removed by another member): {@code {type:
 * "cluster/leave", member}}. Its pins are re-allocated at once, without waiting for a timeout.
 */
public record LeaveRecord(PeerId member) implements ClusterRecord {
  public static final String TYPE = "cluster/leave";

  public LeaveRecord {
    Objects.requireNonNull(member, "member");
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map().put("type", TYPE).put("member", member.bytes()).build();
  }
}
