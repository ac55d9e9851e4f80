package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;

/** The servicer pays out (a tranche of) the principal. */
public record Disbursed(Money amount, Digest reference) implements Body {
  public static final String KIND = "Disbursed";

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

  static Disbursed decode(Fields f) {
    Disbursed b = new Disbursed(f.positive("amount"), f.digest("reference"));
    f.end();
    return b;
  }
}
