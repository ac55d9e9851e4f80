package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.money.Money;
import java.util.Optional;

/**
 * A contract's charge rules: the late fee (a penalty the servicer may apply to an installment
 * overdue by more than {@code lateFeeGraceDays}), and whether the servicer may waive on its own
 * (the lenders' mandate) rather than with every lender's consent.
 */
public record ChargeRules(Optional<Money> lateFee, int lateFeeGraceDays, boolean servicerMayWaive) {
  public static final ChargeRules NONE = new ChargeRules(Optional.empty(), 0, false);

  IpldNode encode() {
    IpldMap.Builder b = IpldNode.map();
    lateFee.ifPresent(m -> b.put("lateFee", Nodes.money(m)));
    return b.put("lateFeeGraceDays", lateFeeGraceDays)
        .put("servicerMayWaive", servicerMayWaive)
        .build();
  }

  static ChargeRules decode(Fields f, String field) {
    Fields c = Fields.of(f.node(field), f.where() + "." + field);
    ChargeRules out =
        new ChargeRules(
            c.optional("lateFee", c::positive),
            c.smallInt("lateFeeGraceDays", 0, 3650),
            c.bool("servicerMayWaive"));
    c.end();
    return out;
  }
}
