package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Components;

/** The servicer writes the loan off; it closes as written off. */
public record WrittenOff(Components outstanding) implements Body {
  public static final String KIND = "WrittenOff";

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

  static WrittenOff decode(Fields f) {
    WrittenOff b = new WrittenOff(Codes.components(f, "outstanding"));
    f.end();
    return b;
  }
}
