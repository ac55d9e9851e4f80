package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.time.LocalDate;

/** The servicer declares a default (an overlay on an active loan). */
public record DefaultDeclared(LocalDate asOf, int daysPastDue, String basis) implements Body {
  public static final String KIND = "DefaultDeclared";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("asOf", Nodes.date(asOf));
    b.put("daysPastDue", IpldNode.of(daysPastDue));
    b.put("basis", IpldNode.of(basis));
    return b.build();
  }

  static DefaultDeclared decode(Fields f) {
    DefaultDeclared b =
        new DefaultDeclared(f.date("asOf"), f.smallInt("daysPastDue", 0, 100000), f.code("basis"));
    f.end();
    return b;
  }
}
