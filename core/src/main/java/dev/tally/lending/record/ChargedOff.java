package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Components;

/** The servicer charges the loan off (an accounting overlay on an active loan). */
public record ChargedOff(Components outstanding) implements Body {
  public static final String KIND = "ChargedOff";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("outstanding", Codes.encode(outstanding));
    return b.build();
  }

  static ChargedOff decode(Fields f) {
    ChargedOff b = new ChargedOff(Codes.components(f, "outstanding"));
    f.end();
    return b;
  }
}
