package dev.tally.storage.pin;

import java.util.Locale;
import java.util.Optional;

/** Kubo's pin types; {@code toString()} is the name Kubo prints. */
public enum PinType {
  RECURSIVE,
  DIRECT,
  INDIRECT;

  public static Optional<PinType> byName(String name) {
    for (PinType t : values()) {
      if (t.toString().equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
