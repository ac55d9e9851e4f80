package dev.tally.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;

/**
 * An ECDSA public key as peers present it: DER SubjectPublicKeyInfo; signatures are DER ECDSA over
 * SHA-256. Verify-only.
 */
public final class EcdsaPublicKey extends DerPublicKey {
  private final ECPublicKey key;

  private EcdsaPublicKey(byte[] der, ECPublicKey key) {
    super(der, key, "SHA256withECDSA");
    this.key = key;
  }

  public static EcdsaPublicKey of(byte[] der) {
    Objects.requireNonNull(der, "der");
    byte[] copy = der.clone();
    try {
      ECPublicKey key =
          (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(copy));
      return new EcdsaPublicKey(copy, key);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new KeyFormatException("malformed ECDSA public key (expected DER PKIX)", e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.ECDSA;
  }

  @Override
  public String toString() {
    return "EcdsaPublicKey(" + key.getParams() + ")";
  }
}
