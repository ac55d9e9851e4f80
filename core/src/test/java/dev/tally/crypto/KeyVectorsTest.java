package dev.tally.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Key vectors from the libp2p peer-ids spec ("Test vectors" table) and RFC 8032 section 7.1; peer
 * id strings were produced by js-libp2p's {@code @libp2p/peer-id} from the same keys.
 */
class KeyVectorsTest {
  static final HexFormat HEX = HexFormat.of();

  // peer-ids spec vectors (hex protobuf encodings).
  static final String SPEC_ED25519_PRIVATE =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be"
          + "8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String SPEC_ED25519_PUBLIC =
      "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String SPEC_SECP256K1_PUBLIC =
      "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";

  // RFC 8032 7.1 TEST 1.
  static final String RFC_SECRET =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  static final String RFC_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  static final String RFC_SIG_EMPTY =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
          + "b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void derivesSpecPublicKeyFromSpecPrivateKey() {
    PrivateKey key = PrivateKey.unmarshal(HEX.parseHex(SPEC_ED25519_PRIVATE));
    assertArrayEquals(HEX.parseHex(SPEC_ED25519_PUBLIC), key.publicKey().marshal());
    assertArrayEquals(HEX.parseHex(SPEC_ED25519_PRIVATE), key.marshal());
  }

  @Test
  void specEd25519KeyHasJsLibp2pPeerId() {
    PublicKey pub = PublicKey.unmarshal(HEX.parseHex(SPEC_ED25519_PUBLIC));
    PeerId id = pub.peerId();
    assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", id.toString());
    assertEquals(
        "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6", id.toCid().toString());
    assertEquals(pub, id.publicKey().orElseThrow());
  }

  @Test
  void specSecp256k1KeyHasJsLibp2pPeerId() {
    PublicKey pub = PublicKey.unmarshal(HEX.parseHex(SPEC_SECP256K1_PUBLIC));
    assertInstanceOf(Secp256k1PublicKey.class, pub);
    assertEquals("16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY", pub.peerId().toString());
  }

  @Test
  void rfc8032SeedGivesRfcPublicKeyAndSignature() {
    Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(RFC_SECRET));
    assertArrayEquals(HEX.parseHex(RFC_PUBLIC), key.publicKey().raw());
    assertArrayEquals(HEX.parseHex(RFC_SIG_EMPTY), key.sign(new byte[0]));
    assertTrue(key.publicKey().verify(new byte[0], HEX.parseHex(RFC_SIG_EMPTY)));
    assertEquals(
        "12D3KooWQK1wnefoLrcVHbbnf5tLzbopUd3K3bFAoJpA7YJgL5pV",
        key.publicKey().peerId().toString());
  }

  @Test
  void signatureByJsLibp2pVerifies() {
    // js-libp2p's Ed25519 key (the spec vector) signed "noise-libp2p-static-key:".
    PublicKey pub = PublicKey.unmarshal(HEX.parseHex(SPEC_ED25519_PUBLIC));
    byte[] sig =
        HEX.parseHex(
            "f1e607a66b1a36cde2d519f21fc99bb4aa17f074411a4fb0f688af7d9ad4c8d43657c054ee3071e3c7b9010b"
                + "af874f974ca3ecd3a671bd42817acb225193dd02");
    byte[] msg = "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);
    assertTrue(pub.verify(msg, sig));
    sig[5] ^= 1;
    assertFalse(pub.verify(msg, sig));
    assertFalse(pub.verify(msg, new byte[63]));
  }

  @Test
  void generatedKeysSignAndVerifyAndRoundTrip() {
    Ed25519PrivateKey key = Ed25519PrivateKey.generate(new SecureRandom());
    byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
    assertTrue(key.publicKey().verify(msg, key.sign(msg)));
    assertEquals(key, PrivateKey.unmarshal(key.marshal()));
    assertEquals(key.publicKey(), PublicKey.unmarshal(key.publicKey().marshal()));
    assertFalse(
        Ed25519PrivateKey.generate(new SecureRandom()).publicKey().verify(msg, key.sign(msg)));
  }

  @Test
  void acceptsLegacy96ByteEd25519PrivateKeyOnlyWhenPublicKeysMatch() {
    byte[] modern = HEX.parseHex(SPEC_ED25519_PRIVATE);
    byte[] legacy = new byte[4 + 96];
    legacy[0] = 0x08;
    legacy[1] = 0x01;
    legacy[2] = 0x12;
    legacy[3] = 96;
    System.arraycopy(modern, 4, legacy, 4, 64);
    System.arraycopy(modern, 36, legacy, 68, 32);
    assertEquals(PrivateKey.unmarshal(modern), PrivateKey.unmarshal(legacy));
    legacy[99] ^= 1;
    assertThrows(KeyFormatException.class, () -> PrivateKey.unmarshal(legacy));
  }

  @Test
  void rejectsPrivateKeyWhosePublicHalfBelongsToAnotherSeed() {
    byte[] bad = HEX.parseHex(SPEC_ED25519_PRIVATE);
    bad[40] ^= 1;
    assertThrows(KeyFormatException.class, () -> PrivateKey.unmarshal(bad));
  }

  @Test
  void rejectsMalformedPublicKeys() {
    assertThrows(KeyFormatException.class, () -> PublicKey.unmarshal(new byte[] {1, 2, 3}));
    // Ed25519 key of 31 bytes.
    byte[] shortKey =
        HEX.parseHex(SPEC_ED25519_PUBLIC.substring(0, SPEC_ED25519_PUBLIC.length() - 2));
    shortKey[3] = 31;
    assertThrows(KeyFormatException.class, () -> PublicKey.unmarshal(shortKey));
    // Fields out of order (Data before Type) are not canonical.
    byte[] canonical = HEX.parseHex(SPEC_ED25519_PUBLIC);
    byte[] swapped = new byte[canonical.length];
    System.arraycopy(canonical, 2, swapped, 0, 34);
    swapped[34] = 0x08;
    swapped[35] = 0x01;
    assertThrows(KeyFormatException.class, () -> PublicKey.unmarshal(swapped));
  }

  @Test
  void seedMustBe32Bytes() {
    assertThrows(KeyFormatException.class, () -> Ed25519PrivateKey.fromSeed(new byte[31]));
  }
}
