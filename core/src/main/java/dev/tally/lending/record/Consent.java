package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.List;

/** A party's consent to a proposal, to exactly the proposal's bytes. */
public record Consent(Cid proposal) implements Body {
  public static final String KIND = "Consent";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("proposal", IpldNode.of(proposal));
    return b.build();
  }

  @Override
  public List<Cid> links() {
    return List.of(proposal);
  }

  static Consent decode(Fields f) {
    Consent b = new Consent(f.link("proposal"));
    f.end();
    return b;
  }
}
