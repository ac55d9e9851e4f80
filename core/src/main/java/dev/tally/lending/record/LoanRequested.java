package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.schedule.Amortization;
import java.time.LocalDate;

/** A borrower asks for a loan; the entry's CID becomes the loan id. */
public record LoanRequested(
    Money amount,
    int periods,
    int every,
    String purpose,
    Rate maxRate,
    Amortization amortization,
    LocalDate expiry)
    implements Body {
  public static final String KIND = "LoanRequested";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("amount", Nodes.money(amount));
    b.put("periods", IpldNode.of(periods));
    b.put("every", IpldNode.of(every));
    b.put("purpose", IpldNode.of(purpose));
    b.put("maxRate", IpldNode.of(maxRate.millionths()));
    b.put("amortization", IpldNode.of(amortization.code()));
    b.put("expiry", Nodes.date(expiry));
    return b.build();
  }

  static LoanRequested decode(Fields f) {
    LoanRequested b =
        new LoanRequested(
            f.positive("amount"),
            f.smallInt("periods", 1, 1200),
            f.smallInt("every", 1, 120),
            f.code("purpose"),
            f.rate("maxRate"),
            Amortization.parse(f.string("amortization", 32)),
            f.date("expiry"));
    f.end();
    return b;
  }
}
