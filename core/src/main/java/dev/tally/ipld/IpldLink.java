package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.util.Objects;

/** A data-model link: a CID. */
public record IpldLink(Cid cid) implements IpldNode {
  public IpldLink {
    Objects.requireNonNull(cid, "cid");
  }

  @Override
  public Kind kind() {
    return Kind.LINK;
  }

  @Override
  public Cid asLink() {
    return cid;
  }

  @Override
  public String toString() {
    return "{\"/\":\"" + cid + "\"}";
  }
}
