package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;

/** A repayment charged back by the payment network; the amount is owed again. */
public record Chargeback(Money amount, Digest reference) implements Body {
  public static final String KIND = "Chargeback";

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

  static Chargeback decode(Fields f) {
    Chargeback b = new Chargeback(f.positive("amount"), f.digest("reference"));
    f.end();
    return b;
  }
}
