package dev.tally.exchange.message;

import dev.tally.multiformats.Cid;
import java.util.Objects;

/** A HAVE or DONT_HAVE for one CID. */
public record BlockPresence(Cid cid, PresenceType type) {
  public BlockPresence {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
  }
}
