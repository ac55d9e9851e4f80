package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import dev.tally.lending.money.Rate;
import dev.tally.lending.schedule.Amortization;
import dev.tally.lending.schedule.DaysInMonth;
import dev.tally.lending.schedule.DaysInYear;
import dev.tally.lending.schedule.InterestMethod;
import dev.tally.lending.schedule.InterestPeriod;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.List;

/**
 * The contract, proposed by one party and effective once the borrower, every lender and the
 * servicer have signed or consented.
 */
public record LoanAgreed(
    Money principal,
    List<AgreedPart> parts,
    PartyId servicer,
    Rate rate,
    InterestMethod interestMethod,
    Amortization amortization,
    InterestPeriod interestPeriod,
    DaysInYear daysInYear,
    DaysInMonth daysInMonth,
    int every,
    int repayments,
    LocalDate disbursementDate,
    LocalDate firstRepaymentDate,
    ContractGrace grace,
    String allocation,
    ChargeRules charges,
    LocalDate expiry,
    Digest scheduleHash)
    implements Body {
  public static final String KIND = "LoanAgreed";

  public LoanAgreed {
    parts = List.copyOf(parts);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("principal", Nodes.money(principal));
    b.put("parts", Nodes.list(parts, AgreedPart::encode));
    b.put("servicer", Nodes.party(servicer));
    b.put("rate", IpldNode.of(rate.millionths()));
    b.put("interestMethod", IpldNode.of(interestMethod.code()));
    b.put("amortization", IpldNode.of(amortization.code()));
    b.put("interestPeriod", IpldNode.of(interestPeriod.code()));
    b.put("daysInYear", IpldNode.of(daysInYear.code()));
    b.put("daysInMonth", IpldNode.of(daysInMonth.code()));
    b.put("every", IpldNode.of(every));
    b.put("repayments", IpldNode.of(repayments));
    b.put("disbursementDate", Nodes.date(disbursementDate));
    b.put("firstRepaymentDate", Nodes.date(firstRepaymentDate));
    b.put("grace", grace.encode());
    b.put("allocation", IpldNode.of(allocation));
    b.put("charges", charges.encode());
    b.put("expiry", Nodes.date(expiry));
    b.put("scheduleHash", Nodes.digest(scheduleHash));
    return b.build();
  }

  @Override
  public List<Cid> links() {
    return parts.stream().map(AgreedPart::offer).toList();
  }

  static LoanAgreed decode(Fields f) {
    LoanAgreed b =
        new LoanAgreed(
            f.positive("principal"),
            AgreedPart.list(f, "parts"),
            f.party("servicer"),
            f.rate("rate"),
            InterestMethod.parse(f.string("interestMethod", 32)),
            Amortization.parse(f.string("amortization", 32)),
            InterestPeriod.parse(f.string("interestPeriod", 32)),
            DaysInYear.parse(f.string("daysInYear", 32)),
            DaysInMonth.parse(f.string("daysInMonth", 32)),
            f.smallInt("every", 1, 120),
            f.smallInt("repayments", 1, 1200),
            f.date("disbursementDate"),
            f.date("firstRepaymentDate"),
            ContractGrace.decode(f, "grace"),
            Codes.choice(
                f,
                "allocation",
                "mifos-standard-strategy",
                "principal-interest-penalties-fees-order-strategy",
                "interest-principal-penalties-fees-order-strategy"),
            ChargeRules.decode(f, "charges"),
            f.date("expiry"),
            f.digest("scheduleHash"));
    f.end();
    return b;
  }
}
