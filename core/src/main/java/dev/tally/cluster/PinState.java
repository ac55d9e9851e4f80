package dev.tally.cluster;

import java.util.Locale;
import java.util.Optional;

/**
 * A pin's status on one peer, as IPFS Cluster names them: queued (allocated, not started), pinning
 * (fetching), pinned, failed (will be retried), remote (allocated to other peers, not this one),
 * unpinned (no longer held).
 */
public enum PinState {
  QUEUED,
  PINNING,
  PINNED,
  FAILED,
  REMOTE,
  UNPINNED;

  public static Optional<PinState> byName(String name) {
    for (PinState s : values()) {
      if (s.toString().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
