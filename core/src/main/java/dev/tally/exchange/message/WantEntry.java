package dev.tally.exchange.message;

import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * One wantlist entry.
 *
 * @param priority higher is served first, among one peer's wants
 * @param cancel revokes an earlier want for {@code cid}; the other fields are then ignored
 * @param sendDontHave asks for DONT_HAVE when the peer lacks the block (1.2.0)
 */
public record WantEntry(
    Cid cid, int priority, boolean cancel, WantType type, boolean sendDontHave) {

  public WantEntry {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }

  public static WantEntry wantBlock(Cid cid, int priority) {
    return new WantEntry(cid, priority, false, WantType.BLOCK, true);
  }

  public static WantEntry wantHave(Cid cid, int priority) {
    return new WantEntry(cid, priority, false, WantType.HAVE, true);
  }

  public static WantEntry cancel(Cid cid) {
    return new WantEntry(cid, 0, true, WantType.BLOCK, false);
  }
}
