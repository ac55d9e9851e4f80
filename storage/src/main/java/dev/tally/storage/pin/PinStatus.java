package dev.tally.storage.pin;

import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * Whether and how a block is pinned. {@code toString()} is Kubo's wording: {@code not pinned},
 * {@code pinned: recursive}, {@code pinned: direct}, {@code pinned via <root>}.
 *
 * @param via for an indirect pin, the recursive pin it hangs under
 */
public record PinStatus(Cid cid, Optional<PinType> type, Optional<Cid> via) {
  public boolean pinned() {
    return type.isPresent();
  }

  @Override
  public String toString() {
    if (type.isEmpty()) {
      return "not pinned";
    }
    if (type.get() == PinType.INDIRECT) {
      return "pinned via " + via.orElseThrow();
    }
    return "pinned: " + type.get();
  }
}
