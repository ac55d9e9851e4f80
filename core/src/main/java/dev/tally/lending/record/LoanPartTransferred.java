package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import java.time.LocalDate;

/** A lender sells (some of) a part to a buyer; seller and buyer sign, the servicer countersigns. */
public record LoanPartTransferred(
    String part,
    String newPart,
    PartyId buyer,
    Money principal,
    Money price,
    LocalDate settlementDate,
    String accruedTo,
    LocalDate expiry)
    implements Body {
  public static final String KIND = "LoanPartTransferred";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("part", IpldNode.of(part));
    b.put("newPart", IpldNode.of(newPart));
    b.put("buyer", Nodes.party(buyer));
    b.put("principal", Nodes.money(principal));
    b.put("price", Nodes.money(price));
    b.put("settlementDate", Nodes.date(settlementDate));
    b.put("accruedTo", IpldNode.of(accruedTo));
    b.put("expiry", Nodes.date(expiry));
    return b.build();
  }

  static LoanPartTransferred decode(Fields f) {
    LoanPartTransferred b =
        new LoanPartTransferred(
            f.code("part"),
            f.code("newPart"),
            f.party("buyer"),
            f.positive("principal"),
            f.money("price"),
            f.date("settlementDate"),
            Codes.choice(f, "accruedTo", "seller", "buyer"),
            f.date("expiry"));
    f.end();
    return b;
  }
}
