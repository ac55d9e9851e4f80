package dev.tally.cluster;

import dev.tally.multiformats.Cid;
import java.util.Objects;

/**
 * One pin's status on this node.
 *
 * @param failures consecutive failed attempts (0 once pinned)
 * @param error the last failure's reason; empty when there was none
 */
public record TrackedPin(Cid cid, PinState state, int failures, String error) {
  public TrackedPin {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
  }
}
