package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;

/** An attestor withdraws an attestation. */
public record KycRevoked(PartyId subject, Digest commitment, String reason) implements Body {
  public static final String KIND = "KycRevoked";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("subject", Nodes.party(subject));
    b.put("commitment", Nodes.digest(commitment));
    b.put("reason", IpldNode.of(reason));
    return b.build();
  }

  static KycRevoked decode(Fields f) {
    KycRevoked b = new KycRevoked(f.party("subject"), f.digest("commitment"), f.code("reason"));
    f.end();
    return b;
  }
}
