package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;

/** Money recovered after a write-off. */
public record RecoveryReceived(Money amount, Digest reference) implements Body {
  public static final String KIND = "RecoveryReceived";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("amount", Nodes.money(amount));
    b.put("reference", Nodes.digest(reference));
    return b.build();
  }

  static RecoveryReceived decode(Fields f) {
    RecoveryReceived b = new RecoveryReceived(f.positive("amount"), f.digest("reference"));
    f.end();
    return b;
  }
}
