package dev.tally.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A secp256k1 public key (33-byte compressed point, Bitcoin encoding); signatures are DER ECDSA
 * over SHA-256. Verify-only; the JDK dropped this curve, so Bouncy Castle does the maths.
 */
public final class Secp256k1PublicKey implements PublicKey {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  private final byte[] encoded;
  private final ECPublicKeyParameters params;

  private Secp256k1PublicKey(byte[] encoded, ECPublicKeyParameters params) {
    this.encoded = encoded;
    this.params = params;
  }

  public static Secp256k1PublicKey of(byte[] encoded) {
    Objects.requireNonNull(encoded, "encoded");
    if (encoded.length != 33 && encoded.length != 65) {
      throw new KeyFormatException(
          "secp256k1 public key must be 33 (compressed) or 65 bytes, got " + encoded.length);
    }
    byte[] copy = encoded.clone();
    try {
      ECPoint point = CURVE.getCurve().decodePoint(copy);
      return new Secp256k1PublicKey(copy, new ECPublicKeyParameters(point, DOMAIN));
    } catch (IllegalArgumentException e) {
      throw new KeyFormatException("secp256k1 public key is not a valid curve point", e);
    }
  }

  @Override
  public KeyType type() {
    return KeyType.SECP256K1;
  }

  @Override
  public byte[] raw() {
    return encoded.clone();
  }

  @Override
  public boolean verify(byte[] data, byte[] signature) {
    BigInteger r;
    BigInteger s;
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(signature));
      if (seq.size() != 2) {
        return false;
      }
      r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
      s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
    ECDSASigner signer = new ECDSASigner();
    signer.init(false, params);
    return signer.verifySignature(sha256(data), r, s);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secp256k1PublicKey other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey(" + HexFormat.of().formatHex(encoded) + ")";
  }
}
