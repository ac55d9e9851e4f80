package dev.tally.net.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Noise SymmetricState with SHA-256 (JDK, SHA-NI accelerated) and HMAC-SHA-256 HKDF. */
final class SymmetricState {
  static final int HASH_LENGTH = 32;

  private final MessageDigest sha256;
  private final Mac hmac;
  private final CipherState cipher = new CipherState();
  private byte[] ck;
  private byte[] h;

  SymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      hmac = Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK always provides SHA-256 and HmacSHA256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256.digest(name);
    ck = h.clone();
  }

  void mixKey(byte[] ikm) {
    byte[][] out = hkdf(ck, ikm);
    ck = out[0];
    cipher.initializeKey(out[1]);
  }

  void mixHash(byte[] data) {
    sha256.update(h);
    sha256.update(data);
    h = sha256.digest();
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] out = cipher.hasKey() ? cipher.encrypt(h, plaintext) : plaintext.clone();
    mixHash(out);
    return out;
  }

  byte[] decryptAndHash(byte[] in, int off, int len) {
    byte[] ciphertext = Arrays.copyOfRange(in, off, off + len);
    byte[] out = cipher.hasKey() ? cipher.decrypt(h, ciphertext) : ciphertext;
    mixHash(ciphertext);
    return out;
  }

  boolean hasKey() {
    return cipher.hasKey();
  }

  /** The two transport cipher states: initiator-to-responder, then responder-to-initiator. */
  CipherState[] split() {
    byte[][] out = hkdf(ck, new byte[0]);
    return new CipherState[] {new CipherState(out[0]), new CipherState(out[1])};
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  private byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
    byte[] temp = hmac(chainingKey, ikm);
    byte[] out1 = hmac(temp, new byte[] {1});
    byte[] in2 = Arrays.copyOf(out1, HASH_LENGTH + 1);
    in2[HASH_LENGTH] = 2;
    byte[] out2 = hmac(temp, in2);
    return new byte[][] {out1, out2};
  }

  private byte[] hmac(byte[] key, byte[] data) {
    try {
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 rejected a 32-byte key", e);
    }
    return hmac.doFinal(data);
  }
}
