package dev.tally.ipld;

import java.util.Arrays;
import java.util.Base64;

/** Data-model bytes. The array is copied in and out; equality is by content. */
public final class IpldBytes implements IpldNode {
  static final IpldBytes EMPTY = new IpldBytes(new byte[0]);

  private final byte[] bytes;

  private IpldBytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static IpldBytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new IpldBytes(bytes.clone());
  }

  /** Takes ownership of {@code bytes}; the caller must not modify it afterwards. */
  static IpldBytes wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new IpldBytes(bytes);
  }

  /** The internal array, for encoders only: never modify or expose it. */
  byte[] array() {
    return bytes;
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public Kind kind() {
    return Kind.BYTES;
  }

  @Override
  public byte[] asBytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpldBytes other && Arrays.equals(other.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "{\"/\":{\"bytes\":\""
        + Base64.getEncoder().withoutPadding().encodeToString(bytes)
        + "\"}}";
  }
}
