package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import java.time.LocalDate;

/**
 * An attestor's signed statement about a party's KYC, holding only a salted commitment (the data
 * stays off the log).
 */
public record KycAttested(
    PartyId subject, Digest commitment, int level, LocalDate validUntil, Digest reference)
    implements Body {
  public static final String KIND = "KycAttested";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("subject", Nodes.party(subject));
    b.put("commitment", Nodes.digest(commitment));
    b.put("level", IpldNode.of(level));
    b.put("validUntil", Nodes.date(validUntil));
    b.put("reference", Nodes.digest(reference));
    return b.build();
  }

  static KycAttested decode(Fields f) {
    KycAttested b =
        new KycAttested(
            f.party("subject"),
            f.digest("commitment"),
            f.smallInt("level", 1, 3),
            f.date("validUntil"),
            f.digest("reference"));
    f.end();
    return b;
  }
}
