package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Objects;

/** Unpin {@code cid} from the cluster: {@code {type: "cluster/unpin", cid}}. */
public record UnpinRecord(Cid cid) implements ClusterRecord {
  public static final String TYPE = "cluster/unpin";

  public UnpinRecord {
    Objects.requireNonNull(cid, "cid");
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map().put("type", TYPE).put("cid", cid).build();
  }
}
