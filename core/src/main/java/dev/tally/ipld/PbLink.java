package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A dag-pb link: the target's CID, an optional name (UnixFS directory entry names) and an optional
 * cumulative size of the target DAG.
 */
public record PbLink(Cid hash, Optional<String> name, OptionalLong tsize) {

  public PbLink {
    if (hash == null || name == null || tsize == null) {
      throw new CodecException("dag-pb link fields must not be null (use Optional.empty())");
    }
    if (tsize.isPresent() && tsize.getAsLong() < 0) {
      throw new CodecException("dag-pb link Tsize cannot be negative: " + tsize.getAsLong());
    }
  }

  public static PbLink of(Cid hash, String name, long tsize) {
    return new PbLink(hash, Optional.of(name), OptionalLong.of(tsize));
  }

  /** The name as the sort key dag-pb uses: absent sorts as the empty name. */
  String sortName() {
    return name.orElse("");
  }
}
