package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DAG-CBOR strictness rules of the IPLD spec, one rule per test, on hand-built RFC 8949 bytes.
 */
class DagCborTest {

  private static CodecException rejects(String hex) {
    return assertThrows(CodecException.class, () -> DagCbor.decode(Fixtures.hex(hex)));
  }

  @Test
  void rejectsNonCanonicalMapOrder() {
    // {"b": 1, "a": 2}: same length, bytewise order violated
    assertTrue(rejects("a2616201616102").getMessage().contains("canonical order"));
    // {"aa": 1, "b": 2}: bytewise order but not length-first
    rejects("a262616101616202");
  }

  @Test
  void rejectsDuplicateMapKeysNamingTheKey() {
    CodecException e = rejects("a2616101616102");
    assertTrue(e.getMessage().contains("duplicate map key \"a\""), e.getMessage());
    assertTrue(e.getMessage().endsWith("at byte 4"), e.getMessage()); // the second key's header
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1817", // 23 in one extra byte
        "190017", // 23 in two extra bytes
        "1a000000ff", // 255 in four bytes
        "1b00000000ffffffff", // 2^32-1 in eight bytes
        "3817", // -24 with a non-minimal argument
        "5801ff", // byte string length 1 in a one-byte length
        "780161", // text length 1 in a one-byte length
        "980100", // list of one with a one-byte count
        "d9002a4100" // tag 42 in two bytes
      })
  void rejectsNonMinimalIntegersAndLengths(String hex) {
    rejects(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5f41ff", "7f6161ff", "9f01ff", "bf616101ff", "ff"})
  void rejectsIndefiniteLengthsAndBreak(String hex) {
    rejects(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"c11a514b67b0", "c249010000000000000000", "d8204100"})
  void rejectsTagsOtherThan42(String hex) {
    rejects(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"f93c00", "fa3f800000"})
  void rejectsFloatsNarrowerThan64Bits(String hex) {
    rejects(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fb7ff8000000000000", "fb7ff0000000000000", "fbfff0000000000000"})
  void rejectsNanAndInfinity(String hex) {
    rejects(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"f7", "f0", "f818", "fc", "1c"})
  void rejectsUndefinedSimpleValuesAndReservedInfo(String hex) {
    rejects(hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a10101", "a1410101", "a1f601"})
  void rejectsNonStringMapKeys(String hex) {
    rejects(hex);
  }

  @Test
  void rejectsTrailingBytes() {
    rejects("f6f6");
    rejects("");
  }

  @Test
  void rejectsCidWithoutIdentityMultibasePrefix() {
    // tag 42 over a CIDv1 raw identity CID without the leading 0x00
    rejects("d82a4701550003010203");
    rejects("d82a4000");
  }

  @Test
  void rejectsInvalidUtf8Strings() {
    rejects("62c328"); // truncated two-byte sequence
    rejects("62c080"); // overlong NUL
    rejects("63eda080"); // a UTF-16 surrogate encoded in UTF-8
  }

  @Test
  void boundsAllocationByRemainingInput() {
    // A byte string claiming 2^40 bytes, and lists/maps claiming 2^32-1 items, in under 10 bytes.
    assertTrue(rejects("5b0000010000000000").getMessage().contains("exceeds"));
    rejects("9affffffff00");
    rejects("baffffffff00");
    rejects("7bffffffffffffffff");
  }

  @Test
  void boundsAllocationWhenNestedHeadersEachClaimTheWholeRemainder() {
    // 500 nested lists, each header claiming as many items as bytes remain, over 4 MiB of nulls:
    // pre-sizing every level from its claim would allocate ~500 x 4M references (8 GiB).
    int levels = 500;
    byte[] in = new byte[4 << 20];
    Arrays.fill(in, (byte) 0xf6);
    for (int i = 0; i < levels; i++) {
      int remaining = in.length - (i + 1) * 5;
      in[i * 5] = (byte) 0x9a;
      in[i * 5 + 1] = (byte) (remaining >>> 24);
      in[i * 5 + 2] = (byte) (remaining >>> 16);
      in[i * 5 + 3] = (byte) (remaining >>> 8);
      in[i * 5 + 4] = (byte) remaining;
    }
    assertTrue(
        assertThrows(CodecException.class, () -> DagCbor.decode(in))
            .getMessage()
            .contains("unexpected end of input"));
  }

  @Test
  void boundsNestingDepthInsteadOfOverflowingTheStack() {
    byte[] deep = new byte[200_000];
    Arrays.fill(deep, (byte) 0x81);
    deep[deep.length - 1] = (byte) 0xf6;
    assertTrue(
        assertThrows(CodecException.class, () -> DagCbor.decode(deep))
            .getMessage()
            .contains("nesting"));
  }

  @Test
  void decodesTheFullIntegerRange() {
    assertEquals(
        "18446744073709551615", DagCbor.decode(Fixtures.hex("1bffffffffffffffff")).toString());
    assertEquals(
        "-18446744073709551616", DagCbor.decode(Fixtures.hex("3bffffffffffffffff")).toString());
    assertEquals(Long.MIN_VALUE, DagCbor.decode(Fixtures.hex("3b7fffffffffffffff")).asLong());
  }

  @Test
  void encodesMapsInLengthFirstOrderWhateverTheBuildOrder() {
    IpldMap map = IpldNode.map().put("bb", 1).put("a", 2).put("c", 3).build();
    // RFC 7049 canonical order: "a", "c", "bb"
    assertArrayEquals(Fixtures.hex("a3616102616303626262" + "01"), DagCbor.encode(map));
  }

  @Test
  void encodesFloatsAlwaysIn64Bits() {
    assertArrayEquals(Fixtures.hex("fb3ff8000000000000"), DagCbor.encode(IpldNode.of(1.5)));
  }

  @Test
  void respectsAConfiguredDepthLimit() {
    byte[] three = Fixtures.hex("818181f6");
    assertEquals(
        IpldNode.list(IpldNode.list(IpldNode.list(IpldNode.ofNull()))), DagCbor.decode(three, 3));
    assertThrows(CodecException.class, () -> DagCbor.decode(three, 2));
  }
}
