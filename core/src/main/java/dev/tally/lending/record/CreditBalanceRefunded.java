package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;

/** An overpayment paid back to the borrower. */
public record CreditBalanceRefunded(Money amount, Digest reference) implements Body {
  public static final String KIND = "CreditBalanceRefunded";

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

  static CreditBalanceRefunded decode(Fields f) {
    CreditBalanceRefunded b =
        new CreditBalanceRefunded(f.positive("amount"), f.digest("reference"));
    f.end();
    return b;
  }
}
