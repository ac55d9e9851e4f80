package dev.tally.cluster;

import dev.tally.multiformats.Cid;
import java.util.Set;

/** Local pins of a member whose pins do not matter to a test: holds nothing, 1 GiB free. */
public final class NoPins implements LocalPins {
  @Override
  public void pin(Cid cid, String name) {}

  @Override
  public void unpin(Cid cid) {}

  @Override
  public Set<Cid> pinned() {
    return Set.of();
  }

  @Override
  public long freeBytes() {
    return 1L << 30;
  }
}
