package dev.tally.net.noise;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise CipherState for ChaChaPoly: a key and a 64-bit counter nonce (little-endian in the last
 * eight bytes of the 96-bit IETF nonce). Uses the JDK's ChaCha20-Poly1305, which has intrinsics
 * from JDK 20 on. Not thread-safe: one direction of one session.
 */
final class CipherState {
  static final int TAG_LENGTH = 16;

  private final Cipher cipher;
  private final byte[] nonce = new byte[12];
  private SecretKeySpec key;
  private long n;

  CipherState() {
    try {
      cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException("the JDK provides ChaCha20-Poly1305 since JDK 11", e);
    }
  }

  CipherState(byte[] k) {
    this();
    initializeKey(k);
  }

  void initializeKey(byte[] k) {
    key = new SecretKeySpec(k, 0, 32, "ChaCha20");
    n = 0;
  }

  boolean hasKey() {
    return key != null;
  }

  /**
   * Encrypts {@code len} bytes of {@code in} into {@code out} at {@code outOff} (which may be the
   * same bytes: in place); returns the ciphertext length, {@code len + 16}.
   */
  int encrypt(byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    init(Cipher.ENCRYPT_MODE, ad);
    try {
      return cipher.doFinal(in, inOff, len, out, outOff);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  byte[] encrypt(byte[] ad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    encrypt(ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /** Decrypts and authenticates; a wrong tag is a {@link NoiseException}. */
  byte[] decrypt(byte[] ad, byte[] in, int inOff, int len) {
    if (len < TAG_LENGTH) {
      throw new NoiseException(
          "encrypted Noise message of " + len + " bytes is shorter than its 16-byte tag");
    }
    init(Cipher.DECRYPT_MODE, ad);
    try {
      return cipher.doFinal(in, inOff, len);
    } catch (AEADBadTagException e) {
      throw badTag(e);
    } catch (GeneralSecurityException e) {
      throw new NoiseException("Noise decryption failed: " + e.getMessage(), e);
    }
  }

  /**
   * Decrypts and authenticates into {@code out} (at least {@code len - 16} bytes); returns the
   * plaintext length. A wrong tag is a {@link NoiseException}.
   */
  int decrypt(byte[] ad, byte[] in, int inOff, int len, byte[] out) {
    if (len < TAG_LENGTH) {
      throw new NoiseException(
          "encrypted Noise message of " + len + " bytes is shorter than its 16-byte tag");
    }
    init(Cipher.DECRYPT_MODE, ad);
    try {
      return cipher.doFinal(in, inOff, len, out, 0);
    } catch (AEADBadTagException e) {
      throw badTag(e);
    } catch (GeneralSecurityException e) {
      throw new NoiseException("Noise decryption failed: " + e.getMessage(), e);
    }
  }

  private NoiseException badTag(AEADBadTagException e) {
    return new NoiseException(
        "Noise message failed authentication (bad ChaCha20-Poly1305 tag, nonce " + (n - 1) + ")",
        e);
  }

  byte[] decrypt(byte[] ad, byte[] ciphertext) {
    return decrypt(ad, ciphertext, 0, ciphertext.length);
  }

  private void init(int mode, byte[] ad) {
    if (n == -1L) {
      // 2^64-1 is reserved; a session would need 2^64 messages to get here.
      throw new NoiseException("Noise nonce exhausted; the session must be re-established");
    }
    long v = n++;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (v >>> (8 * i));
    }
    try {
      cipher.init(mode, key, new IvParameterSpec(nonce));
    } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 rejected a 32-byte key", e);
    }
    if (ad.length > 0) {
      cipher.updateAAD(ad);
    }
  }
}
