package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VarintTest {
  // Examples from the multiformats unsigned-varint spec.
  @ParameterizedTest
  @CsvSource({
    "1, 01",
    "127, 7f",
    "128, 8001",
    "255, ff01",
    "300, ac02",
    "16384, 808001",
    "9223372036854775807, ffffffffffffffff7f"
  })
  void encodesAndDecodesSpecExamples(long value, String hex) {
    assertEquals(hex, Hex.of(Varint.encode(value)));
    assertEquals(hex.length() / 2, Varint.encodedLength(value));
    byte[] b = Hex.bytes(hex);
    assertEquals(value, Varint.decode(b, 0, b.length));
    assertEquals(b.length, Varint.decodedLength(b, 0, b.length));
    ByteBuffer buf = ByteBuffer.wrap(b);
    assertEquals(value, Varint.read(buf));
    assertEquals(b.length, buf.position());
  }

  @ParameterizedTest
  @ValueSource(strings = {"8000", "ff00", "808000", "ffffffffffffffff00"})
  void rejectsNonMinimalEncoding(String hex) {
    byte[] b = Hex.bytes(hex);
    VarintException e = assertThrows(VarintException.class, () -> Varint.decode(b, 0, b.length));
    assertTrue(e.getMessage().contains("non-minimal"), e.getMessage());
    assertThrows(VarintException.class, () -> Varint.read(ByteBuffer.wrap(b)));
    assertThrows(VarintException.class, () -> Varint.read(new ByteArrayInputStream(b)));
  }

  @Test
  void rejectsMoreThanNineBytes() {
    byte[] b = Hex.bytes("ffffffffffffffffff01");
    VarintException e = assertThrows(VarintException.class, () -> Varint.decode(b, 0, b.length));
    assertTrue(e.getMessage().contains("longer than 9"), e.getMessage());
    assertThrows(VarintException.class, () -> Varint.read(new ByteArrayInputStream(b)));
  }

  @Test
  void rejectsTruncatedInputAndLeavesBufferPosition() {
    ByteBuffer buf = ByteBuffer.wrap(Hex.bytes("8080"));
    assertThrows(VarintException.class, () -> Varint.read(buf));
    assertEquals(0, buf.position());
    byte[] b = Hex.bytes("ac02");
    assertThrows(VarintException.class, () -> Varint.decode(b, 0, 1));
  }

  @Test
  void rejectsNegativeValues() {
    assertThrows(VarintException.class, () -> Varint.encode(-1));
  }

  @Test
  void streamReadsDistinguishCleanEofFromTruncation() throws IOException {
    assertTrue(Varint.readOrEof(new ByteArrayInputStream(new byte[0])).isEmpty());
    assertThrows(EOFException.class, () -> Varint.read(new ByteArrayInputStream(new byte[0])));
    assertThrows(
        VarintException.class, () -> Varint.readOrEof(new ByteArrayInputStream(Hex.bytes("80"))));
    assertEquals(300, Varint.read(new ByteArrayInputStream(Hex.bytes("ac02"))));
  }

  @Test
  void writesToStreamsArraysAndBuffers() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Varint.write(300, out);
    assertArrayEquals(Hex.bytes("ac02"), out.toByteArray());
    byte[] dst = new byte[4];
    assertEquals(2, Varint.write(300, dst, 1));
    assertArrayEquals(Hex.bytes("00ac0200"), dst);
  }
}
