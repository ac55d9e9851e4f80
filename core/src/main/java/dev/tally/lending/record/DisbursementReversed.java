package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.List;

/** The servicer reverses a disbursement. */
public record DisbursementReversed(Cid disbursement, String reason) implements Body {
  public static final String KIND = "DisbursementReversed";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("disbursement", IpldNode.of(disbursement));
    b.put("reason", IpldNode.of(reason));
    return b.build();
  }

  @Override
  public List<Cid> links() {
    return List.of(disbursement);
  }

  static DisbursementReversed decode(Fields f) {
    DisbursementReversed b = new DisbursementReversed(f.link("disbursement"), f.code("reason"));
    f.end();
    return b;
  }
}
