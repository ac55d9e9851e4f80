package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultihashTest {
  private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.UTF_8);

  // Expected digests of "hello world" from Python's hashlib (a reference implementation).
  @ParameterizedTest
  @CsvSource({
    "0x12, 1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
    "0x13, 1340309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f",
    "0x16, 1620644bcc7e564373040999aac89e7622f3ca71fba1d972fd94a31c3bfbf24e3938",
    "0x14, 1440840006653e9ac9e95117a15c915caab81662918e925de9e004f774ff82d7079a40d4d27b1b372657c61d46d470304c88c788b3a4527ad074d1dccbee5dbaa99a",
    "0xb220, a0e40220256c83b297114d201b30179f3f0ef0cace9783622da5974326b436178aeef610",
    "0xb240, c0e40240021ced8799296ceca557832ab941a50b4a11f83478cf141f51f933f653ab9fbcc05a037cddbed06e309bf334942c4e58cdf1a46e237911ccd7fcf9787cbc7fd0",
    "0x00, 000b68656c6c6f20776f726c64"
  })
  void hashesHelloWorldLikeTheReference(String code, String expectedHex) {
    long c = Long.decode(code);
    Multihash mh = Multihash.sum(c, HELLO);
    assertEquals(expectedHex, Hex.of(mh.bytes()));
    assertEquals(mh, Multihash.decode(Hex.bytes(expectedHex)));
    assertEquals(
        mh, Multihash.hasher(c).update(HELLO, 0, 5).update(ByteBuffer.wrap(HELLO, 5, 6)).digest());
    assertTrue(mh.matches(HELLO));
    assertFalse(mh.matches("hello world!".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void matchesTheMultihashSpecExample() {
    // multiformats/multihash README: sha2-256 of "Merkle–Damgård".
    byte[] input = "Merkle–Damgård".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "122041dd7b6443542e75701aa98a0c235951a28a0d851b11564d20022ab11d2589a8",
        Hex.of(Multihash.sha256(input).bytes()));
  }

  @Test
  void computesBlake3OfEmptyInputAsTheOfficialVector() {
    // BLAKE3 reference test vector for the empty input.
    assertEquals(
        "1e20af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
        Hex.of(Multihash.sum(Multicodec.BLAKE3, new byte[0]).bytes()));
  }

  @Test
  void verifiesSha1ButRefusesToCreateIt() {
    Multihash sha1 = Multihash.decode(Hex.bytes("11142aae6c35c94fcfb415dbe95f408b9ce91ee846ed"));
    assertTrue(sha1.matches(HELLO));
    assertThrows(MultihashException.class, () -> Multihash.sum(Multicodec.SHA1, HELLO));
  }

  @Test
  void exposesCodeDigestAndBase58Text() {
    Multihash mh = Multihash.sha256(HELLO);
    assertEquals(Multicodec.SHA2_256, mh.code());
    assertEquals(32, mh.digestLength());
    assertEquals(34, mh.encodedLength());
    assertArrayEquals(
        Hex.bytes("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"), mh.digest());
    assertEquals(mh, Multihash.of(Multicodec.SHA2_256, mh.digest()));
    assertEquals(Multibase.BASE58BTC.encodeRaw(mh.bytes()), mh.toString());
  }

  @Test
  void parsesBase58PeerIdText() {
    // go-multiaddr test vector: this peer ID is the multihash 1220d52ebb89….
    Multihash mh = Multihash.parse("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
    assertEquals(
        "1220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b", Hex.of(mh.bytes()));
    assertEquals("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", mh.toString());
    assertThrows(MultihashException.class, () -> Multihash.parse("Qm0OIl"));
  }

  @Test
  void doesNotExposeItsArrays() {
    Multihash mh = Multihash.sha256(HELLO);
    mh.bytes()[2] ^= 1;
    mh.digest()[0] ^= 1;
    assertTrue(mh.matches(HELLO));
  }

  @Test
  void rejectsTrailingBytes() {
    MultihashException e =
        assertThrows(
            MultihashException.class,
            () -> Multihash.decode(Hex.bytes("000b68656c6c6f20776f726c6400")));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
  }

  @Test
  void rejectsTruncatedDigestWithoutAllocatingIt() {
    ByteBuffer buf = ByteBuffer.wrap(Hex.bytes("1220b94d"));
    MultihashException e = assertThrows(MultihashException.class, () -> Multihash.read(buf));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertEquals(0, buf.position());
  }

  @Test
  void rejectsHugeLengthPrefix() {
    // identity with a length of 2^40: must fail on the limit, not try to allocate.
    byte[] b = Hex.bytes("0080808080801000");
    MultihashException e = assertThrows(MultihashException.class, () -> Multihash.decode(b));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void rejectsDigestLongerThanTheFunction() {
    assertThrows(MultihashException.class, () -> Multihash.of(Multicodec.SHA2_256, new byte[33]));
  }

  @Test
  void namesTheUnsupportedFunction() {
    MultihashException e = assertThrows(MultihashException.class, () -> Multihash.sum(0x22, HELLO));
    assertTrue(e.getMessage().contains("murmur3"), e.getMessage());
  }

  @Test
  void ordersAndComparesByBytes() {
    Multihash a = Multihash.of(Multicodec.IDENTITY, new byte[] {1});
    Multihash b = Multihash.of(Multicodec.IDENTITY, new byte[] {(byte) 0xff});
    assertTrue(a.compareTo(b) < 0);
    assertEquals(a.hashCode(), Multihash.of(Multicodec.IDENTITY, new byte[] {1}).hashCode());
  }
}
