package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import java.time.LocalDate;

/**
 * Interest or charges are waived: by every lender, or by the servicer under the contract's mandate.
 */
public record Waived(String component, Money amount, LocalDate expiry) implements Body {
  public static final String KIND = "Waived";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("component", IpldNode.of(component));
    b.put("amount", Nodes.money(amount));
    b.put("expiry", Nodes.date(expiry));
    return b.build();
  }

  static Waived decode(Fields f) {
    Waived b =
        new Waived(
            Codes.choice(f, "component", "interest", "fees", "penalties"),
            f.positive("amount"),
            f.date("expiry"));
    f.end();
    return b;
  }
}
