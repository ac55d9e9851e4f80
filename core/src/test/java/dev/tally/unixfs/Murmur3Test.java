package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Murmur3Test {
  // First 8 bytes of murmur3-x64-128 as printed by @multiformats/murmur3 2.2.8 (the hash js
  // hamt-sharding uses for UnixFS directories).
  @ParameterizedTest
  @CsvSource({
    "hello, cbd8a7b341bd9b02",
    "a, 85555565f6597889",
    "file-00000, 150c58e9e6f17e92",
    "'', 0000000000000000"
  })
  void matchesReferenceMurmur3(String input, String expectedHex) {
    long h = Murmur3.x64Hash64(input.getBytes(StandardCharsets.UTF_8));
    assertEquals(expectedHex, String.format("%016x", h));
  }

  @ParameterizedTest
  @CsvSource({"hello, 0, 203", "hello, 1, 216", "hello, 7, 2"})
  void hamtSlotsAreHashBytesMostSignificantFirst(String name, int level, int slot) {
    assertEquals(slot, HamtHash.slot(name, level, 8));
  }
}
