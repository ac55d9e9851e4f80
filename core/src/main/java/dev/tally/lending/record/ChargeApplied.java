package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import java.time.LocalDate;

/** The servicer applies a charge rule of the contract to an installment. */
public record ChargeApplied(String rule, String type, Money amount, LocalDate due, int installment)
    implements Body {
  public static final String KIND = "ChargeApplied";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("rule", IpldNode.of(rule));
    b.put("type", IpldNode.of(type));
    b.put("amount", Nodes.money(amount));
    b.put("due", Nodes.date(due));
    b.put("installment", IpldNode.of(installment));
    return b.build();
  }

  static ChargeApplied decode(Fields f) {
    ChargeApplied b =
        new ChargeApplied(
            Codes.choice(f, "rule", "late-fee", "fee"),
            Codes.choice(f, "type", "penalty", "fee"),
            f.positive("amount"),
            f.date("due"),
            f.smallInt("installment", 1, 1200));
    f.end();
    return b;
  }
}
