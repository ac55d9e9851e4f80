package dev.tally.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;

/**
 * An RSA public key as older peers present it: DER SubjectPublicKeyInfo; signatures are
 * RSASSA-PKCS1-v1_5 over SHA-256. Verify-only: Tally never creates RSA identities.
 */
public final class RsaPublicKey extends DerPublicKey {
  /** Smaller keys are rejected, as go-libp2p does. */
  public static final int MIN_BITS = 2048;

  public static final int MAX_BITS = 8192;

  private final RSAPublicKey key;

  private RsaPublicKey(byte[] der, RSAPublicKey key) {
    super(der, key, "SHA256withRSA");
    this.key = key;
  }

  public static RsaPublicKey of(byte[] der) {
    Objects.requireNonNull(der, "der");
    byte[] copy = der.clone();
    RSAPublicKey key;
    try {
      key =
          (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(copy));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new KeyFormatException("malformed RSA public key (expected DER PKIX)", e);
    }
    int bits = key.getModulus().bitLength();
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new KeyFormatException(
          "RSA key has " + bits + " bits; accepted are " + MIN_BITS + " to " + MAX_BITS);
    }
    return new RsaPublicKey(copy, key);
  }

  @Override
  public KeyType type() {
    return KeyType.RSA;
  }

  @Override
  public String toString() {
    return "RsaPublicKey(" + key.getModulus().bitLength() + " bits)";
  }
}
