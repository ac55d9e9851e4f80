package dev.tally.lending.record;

import dev.tally.ipld.IpldNode;
import dev.tally.lending.schedule.Grace;

/**
 * A contract's graces: on principal, on interest payment, on interest charged (in periods), and on
 * arrears ageing (in days, subtracted from days past due).
 */
public record ContractGrace(
    int principal, int interestPayment, int interestCharged, int arrearsAgeing) {
  public static final ContractGrace NONE = new ContractGrace(0, 0, 0, 0);

  public Grace schedule() {
    return new Grace(principal, interestPayment, interestCharged);
  }

  IpldNode encode() {
    return IpldNode.map()
        .put("principal", principal)
        .put("interestPayment", interestPayment)
        .put("interestCharged", interestCharged)
        .put("arrearsAgeing", arrearsAgeing)
        .build();
  }

  static ContractGrace decode(Fields f, String field) {
    Fields g = Fields.of(f.node(field), f.where() + "." + field);
    ContractGrace out =
        new ContractGrace(
            g.smallInt("principal", 0, 1200),
            g.smallInt("interestPayment", 0, 1200),
            g.smallInt("interestCharged", 0, 1200),
            g.smallInt("arrearsAgeing", 0, 3650));
    g.end();
    return out;
  }
}
