package dev.tally.cluster;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * Replace the pin of {@code from} by {@code pin} (a new version of the same content): {@code {type:
 * "cluster/update", from, pin}}. The whole new pin rides in the record, so applying it never
 * depends on what the reader's pinset held for {@code from}, and the fold stays order-free.
 */
public record UpdateRecord(Cid from, PinRecord pin) implements ClusterRecord {
  public static final String TYPE = "cluster/update";

  public UpdateRecord {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(pin, "pin");
  }

  @Override
  public IpldMap toNode() {
    return IpldNode.map().put("type", TYPE).put("from", from).put("pin", pin.toNode()).build();
  }
}
