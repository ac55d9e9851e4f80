package dev.tally.ipld;

import java.util.Objects;

/**
 * A data-model string. It must be valid Unicode (no unpaired surrogate), so every string has
 * exactly one UTF-8 form and every codec can write it.
 */
public final class IpldString implements IpldNode {
  static final IpldString EMPTY = new IpldString("");

  private final String value;

  private IpldString(String value) {
    this.value = value;
  }

  public static IpldString of(String value) {
    Objects.requireNonNull(value, "value");
    int bad = Utf8.unpairedSurrogateIndex(value);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "string has an unpaired surrogate at index " + bad + "; IPLD strings are valid Unicode");
    }
    return trusted(value);
  }

  /** For decoders, which produce only well-formed strings. */
  static IpldString trusted(String value) {
    return value.isEmpty() ? EMPTY : new IpldString(value);
  }

  public String value() {
    return value;
  }

  @Override
  public Kind kind() {
    return Kind.STRING;
  }

  @Override
  public String asString() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpldString other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return new String(DagJsonWriter.debugText(this), java.nio.charset.StandardCharsets.UTF_8);
  }
}
