package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;

/** The servicer rejects a request. */
public record RequestRejected(String reason) implements Body {
  public static final String KIND = "RequestRejected";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("reason", IpldNode.of(reason));
    return b.build();
  }

  static RequestRejected decode(Fields f) {
    RequestRejected b = new RequestRejected(f.code("reason"));
    f.end();
    return b;
  }
}
