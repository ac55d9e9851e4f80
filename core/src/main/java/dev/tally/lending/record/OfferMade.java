package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import java.time.LocalDate;

/** A lender offers to fund (part of) a request. */
public record OfferMade(Money amount, Rate rate, LocalDate expiry) implements Body {
  public static final String KIND = "OfferMade";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("amount", Nodes.money(amount));
    b.put("rate", IpldNode.of(rate.millionths()));
    b.put("expiry", Nodes.date(expiry));
    return b.build();
  }

  static OfferMade decode(Fields f) {
    OfferMade b = new OfferMade(f.positive("amount"), f.rate("rate"), f.date("expiry"));
    f.end();
    return b;
  }
}
