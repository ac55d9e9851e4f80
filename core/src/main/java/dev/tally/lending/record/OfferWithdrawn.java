package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.List;

/** A lender withdraws its offer. */
public record OfferWithdrawn(Cid offer) implements Body {
  public static final String KIND = "OfferWithdrawn";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("offer", IpldNode.of(offer));
    return b.build();
  }

  @Override
  public List<Cid> links() {
    return List.of(offer);
  }

  static OfferWithdrawn decode(Fields f) {
    OfferWithdrawn b = new OfferWithdrawn(f.link("offer"));
    f.end();
    return b;
  }
}
