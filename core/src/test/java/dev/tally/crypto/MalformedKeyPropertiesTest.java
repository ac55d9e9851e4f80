package dev.tally.crypto;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Public keys and signatures come from peers (identify, Noise handshake payloads, log entries). A
 * mutated key of any of the four libp2p types fails only with {@link KeyFormatException}; a forged
 * (mutated) signature never verifies and never throws.
 */
class MalformedKeyPropertiesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MESSAGE = ForeignKeySignaturesTest.MESSAGE.clone();

  /** A key of each type and its valid signature of {@link #MESSAGE}. */
  private record Signed(PublicKey key, byte[] sig) {}

  private static final List<Signed> SIGNED = signed();

  private static List<Signed> signed() {
    Ed25519PrivateKey ed = Ed25519PrivateKey.fromSeed(new byte[32]);
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(
          new ECGenParameterSpec("secp256r1"), new java.security.SecureRandom(new byte[] {7}));
      KeyPair p = g.generateKeyPair();
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(p.getPrivate());
      s.update(MESSAGE);
      return List.of(
          new Signed(ed.publicKey(), ed.sign(MESSAGE)),
          new Signed(
              PublicKey.unmarshal(HEX.parseHex(ForeignKeySignaturesTest.RSA_PUBLIC)),
              HEX.parseHex(ForeignKeySignaturesTest.RSA_SIG)),
          new Signed(
              PublicKey.unmarshal(HEX.parseHex(KeyVectorsTest.SPEC_SECP256K1_PUBLIC)),
              HEX.parseHex(ForeignKeySignaturesTest.SECP256K1_SIG)),
          new Signed(EcdsaPublicKey.of(p.getPublic().getEncoded()), s.sign()));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  @Property(tries = 400, seed = "4051")
  void mutatedPublicKeysFailOnlyWithKeyFormatException(@ForAll long seed) {
    Random r = new Random(seed);
    PublicKey key = SIGNED.get(r.nextInt(SIGNED.size())).key();
    check(KeyFormatException.class, variant(key.marshal(), r), PublicKey::unmarshal);
    byte[] raw = variant(key.raw(), r);
    check(
        KeyFormatException.class,
        raw,
        b -> {
          switch (key.type()) {
            case ED25519 -> Ed25519PublicKey.of(b);
            case RSA -> RsaPublicKey.of(b);
            case ECDSA -> EcdsaPublicKey.of(b);
            case SECP256K1 -> Secp256k1PublicKey.of(b);
          }
        });
  }

  @Property(tries = 300, seed = "4052")
  void forgedSignaturesNeverVerifyAndNeverThrow(@ForAll long seed) {
    Random r = new Random(seed);
    Signed s = SIGNED.get(r.nextInt(SIGNED.size()));
    assertTrue(s.key().verify(MESSAGE, s.sig()), "the genuine signature verifies");
    byte[] forged = r.nextInt(5) == 0 ? randomBytes(r, r.nextInt(600)) : variant(s.sig(), r);
    if (Arrays.equals(forged, s.sig())) {
      return;
    }
    check(
        RuntimeException.class,
        forged,
        b -> assertFalse(s.key().verify(MESSAGE, b), s.key().type() + " accepted a forgery"));
    byte[] otherMessage = variant(MESSAGE, r);
    if (!Arrays.equals(otherMessage, MESSAGE)) {
      assertFalse(s.key().verify(otherMessage, s.sig()), "a signature verified another message");
    }
  }
}
