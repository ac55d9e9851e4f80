package dev.tally.unixfs;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Optional POSIX metadata a UnixFS node may carry.
 *
 * @param mode permission bits (the low 12 bits of st_mode)
 * @param mtime modification time
 */
public record Metadata(OptionalInt mode, Optional<Instant> mtime) {
  public static final Metadata NONE = new Metadata(OptionalInt.empty(), Optional.empty());

  public Metadata {
    if (mode == null || mtime == null) {
      throw new UnixfsException("metadata fields must not be null (use empty)");
    }
  }

  public boolean isEmpty() {
    return mode.isEmpty() && mtime.isEmpty();
  }
}
