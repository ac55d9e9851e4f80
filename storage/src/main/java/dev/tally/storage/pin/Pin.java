package dev.tally.storage.pin;

import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * One pinned CID: its type and name ({@code ""} when unnamed; indirect pins have no name).
 *
 * @param cid the pinned CID, as it was pinned
 */
public record Pin(Cid cid, PinType type, String name) {
  public Pin {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
  }
}
