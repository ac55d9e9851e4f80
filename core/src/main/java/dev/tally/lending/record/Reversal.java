package dev.tally.lending.record;

import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.time.LocalDate;
import java.util.List;

/**
 * Undoes an earlier record (the log is append-only); signed by the original signers and the
 * servicer.
 */
public record Reversal(Cid target, String reason, LocalDate expiry) implements Body {
  public static final String KIND = "Reversal";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public IpldMap encode() {
    IpldMap.Builder b = IpldNode.map();
    b.put("target", IpldNode.of(target));
    b.put("reason", IpldNode.of(reason));
    b.put("expiry", Nodes.date(expiry));
    return b.build();
  }

  @Override
  public List<Cid> links() {
    return List.of(target);
  }

  static Reversal decode(Fields f) {
    Reversal b = new Reversal(f.link("target"), f.code("reason"), f.date("expiry"));
    f.end();
    return b;
  }
}
