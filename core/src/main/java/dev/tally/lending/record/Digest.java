package dev.tally.lending.record;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * 32 opaque bytes: a SHA-256 commitment, a payment reference hash, a schedule hash. Equality is by
 * value; the bytes are copied in and out.
 */
public final class Digest {
  public static final int LENGTH = 32;
  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Digest of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new RecordFormatException("a digest is 32 bytes, got " + bytes.length);
    }
    return new Digest(bytes.clone());
  }

  /** 64 hex digits. */
  public static Digest parseHex(String hex) {
    try {
      return of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new RecordFormatException("\"" + hex + "\" is not 64 hex digits");
    }
  }

  /** SHA-256 of {@code data}. */
  public static Digest sha256(byte[] data) {
    try {
      return new Digest(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && Arrays.equals(d.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
