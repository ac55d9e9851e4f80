package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;

/** The borrower withdraws its request. */
public record RequestWithdrawn(String reason) implements Body {
  public static final String KIND = "RequestWithdrawn";

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

  static RequestWithdrawn decode(Fields f) {
    RequestWithdrawn b = new RequestWithdrawn(f.code("reason"));
    f.end();
    return b;
  }
}
