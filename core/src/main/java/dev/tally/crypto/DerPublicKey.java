package dev.tally.crypto;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;

/**
 * A verify-only public key that peers present as DER SubjectPublicKeyInfo and that the JDK verifies
 * (RSA, ECDSA): the DER is the key's raw form, and keys are equal when their DER is.
 */
abstract sealed class DerPublicKey implements PublicKey permits RsaPublicKey, EcdsaPublicKey {
  private final byte[] der;
  private final java.security.PublicKey key;
  private final String signatureAlgorithm;

  /** {@code der} is owned by this key (callers pass a copy). */
  DerPublicKey(byte[] der, java.security.PublicKey key, String signatureAlgorithm) {
    this.der = der;
    this.key = key;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  @Override
  public final byte[] raw() {
    return der.clone();
  }

  @Override
  public final boolean verify(byte[] data, byte[] signature) {
    try {
      Signature s = Signature.getInstance(signatureAlgorithm);
      s.initVerify(key);
      s.update(data);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      // A malformed signature is a signature that does not verify.
      return false;
    }
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof DerPublicKey other
        && other.getClass() == getClass()
        && Arrays.equals(der, other.der);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(der);
  }
}
