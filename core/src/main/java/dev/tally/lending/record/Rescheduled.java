package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Rate;
import java.time.LocalDate;
import java.util.Optional;

/** New terms from a date (borrower, every lender and the servicer). */
public record Rescheduled(
    LocalDate from,
    int extraPeriods,
    Optional<Rate> rate,
    ContractGrace grace,
    LocalDate expiry,
    Digest scheduleHash)
    implements Body {
  public static final String KIND = "Rescheduled";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("from", Nodes.date(from));
    b.put("extraPeriods", IpldNode.of(extraPeriods));
    rate.ifPresent(v -> b.put("rate", IpldNode.of(v.millionths())));
    b.put("grace", grace.encode());
    b.put("expiry", Nodes.date(expiry));
    b.put("scheduleHash", Nodes.digest(scheduleHash));
    return b.build();
  }

  static Rescheduled decode(Fields f) {
    Rescheduled b =
        new Rescheduled(
            f.date("from"),
            f.smallInt("extraPeriods", 0, 1200),
            f.optional("rate", k -> f.rate(k)),
            ContractGrace.decode(f, "grace"),
            f.date("expiry"),
            f.digest("scheduleHash"));
    f.end();
    return b;
  }
}
