package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.time.LocalDate;

/** An agreed loan that was never disbursed is cancelled (borrower and servicer). */
public record AgreementCancelled(String reason, LocalDate expiry) implements Body {
  public static final String KIND = "AgreementCancelled";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("reason", IpldNode.of(reason));
    b.put("expiry", Nodes.date(expiry));
    return b.build();
  }

  static AgreementCancelled decode(Fields f) {
    AgreementCancelled b = new AgreementCancelled(f.code("reason"), f.date("expiry"));
    f.end();
    return b;
  }
}
