package dev.tally.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Peer id strings from the libp2p peer-ids spec ("String representation" examples) and from
 * js-libp2p's {@code @libp2p/peer-id} (hex multihashes and CID forms).
 */
class PeerIdTest {
  static final HexFormat HEX = HexFormat.of();

  @Test
  void parsesSpecEd25519ExampleAndExposesItsKey() {
    PeerId id = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    assertEquals(
        "0024080112202ffa35a99d3a3cfbb17bb7c1dc5561b18a8dcca4df38dc613ea859c37eb1336b",
        HEX.formatHex(id.bytes()));
    assertEquals("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", id.toString());
    assertEquals(
        "bafzaajaiaejcal72gwuz2or47oyxxn6b3rkwdmmkrxgkjxzy3rqt5kczyn7lcm3l", id.toCid().toString());
    assertTrue(id.matches(id.publicKey().orElseThrow()));
  }

  @Test
  void parsesSpecSha256ExampleInBothForms() {
    PeerId legacy = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertEquals(legacy, cid);
    assertEquals(
        "12209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9",
        HEX.formatHex(legacy.bytes()));
    assertEquals("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", cid.toString());
    assertTrue(legacy.publicKey().isEmpty());
  }

  @Test
  void parsesCidFormOfEd25519IdAndRoundTripsBytes() {
    PeerId id = PeerId.parse("bafzaajaiaejcal72gwuz2or47oyxxn6b3rkwdmmkrxgkjxzy3rqt5kczyn7lcm3l");
    assertEquals("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", id.toString());
    assertEquals(id, PeerId.fromBytes(id.bytes()));
    assertEquals(0, id.compareTo(PeerId.fromBytes(id.bytes())));
  }

  @Test
  void specRsaPublicKeyIsHashedToJsLibp2pPeerId() {
    PublicKey rsa = PublicKey.unmarshal(HEX.parseHex(RsaVector.PUBLIC));
    assertEquals("QmaeANgBs1DTSxWSrPPtobgQuxW8XTfsS4ydbK4rCHzqxG", rsa.peerId().toString());
  }

  @Test
  void differentKeysGiveDifferentIds() {
    PeerId a = Ed25519PrivateKey.fromSeed(new byte[32]).publicKey().peerId();
    byte[] seed = new byte[32];
    seed[0] = 1;
    PeerId b = Ed25519PrivateKey.fromSeed(seed).publicKey().peerId();
    assertNotEquals(a, b);
    assertTrue(a.toString().startsWith("12D3KooW"));
  }

  @Test
  void rejectsCidWithOtherCodec() {
    // A raw-codec CIDv1 (bafkrei…) is content, not a peer.
    PeerIdFormatException e =
        assertThrows(
            PeerIdFormatException.class,
            () -> PeerId.parse("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"));
    assertTrue(e.getMessage().contains("libp2p-key"), e.getMessage());
  }

  @Test
  void rejectsGarbageAndWrongHashes() {
    assertThrows(PeerIdFormatException.class, () -> PeerId.parse(""));
    assertThrows(PeerIdFormatException.class, () -> PeerId.parse("12D3KooW0OIl"));
    assertThrows(PeerIdFormatException.class, () -> PeerId.parse("not a peer"));
    // sha2-512 multihash.
    byte[] sha512 = new byte[66];
    sha512[0] = 0x13;
    sha512[1] = 64;
    assertThrows(PeerIdFormatException.class, () -> PeerId.fromBytes(sha512));
    // Identity multihash whose bytes are not a public key.
    assertThrows(PeerIdFormatException.class, () -> PeerId.fromBytes(new byte[] {0, 3, 1, 2, 3}));
  }
}
