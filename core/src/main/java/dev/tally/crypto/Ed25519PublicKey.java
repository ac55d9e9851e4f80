package dev.tally.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key (32 bytes, RFC 8032). Verification runs on Bouncy Castle. */
public final class Ed25519PublicKey implements PublicKey {
  public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;

  private final byte[] key;
  // Decompressing the point once makes repeated verifications (e.g. of log entries) cheaper.
  private final Ed25519.PublicPoint point;

  private Ed25519PublicKey(byte[] key, Ed25519.PublicPoint point) {
    this.key = key;
    this.point = point;
  }

  /** The key from its 32 raw bytes (copied); rejects bytes that are not a valid curve point. */
  public static Ed25519PublicKey of(byte[] raw) {
    Objects.requireNonNull(raw, "raw");
    if (raw.length != LENGTH) {
      throw new KeyFormatException(
          "Ed25519 public key must be " + LENGTH + " bytes, got " + raw.length);
    }
    byte[] copy = raw.clone();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(copy, 0);
    if (point == null) {
      throw new KeyFormatException("Ed25519 public key is not a valid curve point");
    }
    return new Ed25519PublicKey(copy, point);
  }

  @Override
  public KeyType type() {
    return KeyType.ED25519;
  }

  @Override
  public byte[] raw() {
    return key.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(signature, "signature");
    if (signature.length != Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, 0, point, data, 0, data.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey other && Arrays.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey(" + HexFormat.of().formatHex(key) + ")";
  }
}
