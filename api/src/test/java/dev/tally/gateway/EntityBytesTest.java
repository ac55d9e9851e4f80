package dev.tally.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The forms the trustless gateway spec lists for entity-bytes, on a 10,000-byte file. */
class EntityBytesTest {
  @Test
  void resolvesTheSpecsForms() {
    assertEquals(new ByteRange(0, 9999), EntityBytes.resolve("0:*", 10_000));
    assertEquals(new ByteRange(8976, 9999), EntityBytes.resolve("-1024:*", 10_000));
    assertEquals(new ByteRange(499, 9000), EntityBytes.resolve("499:-1000", 10_000));
    assertEquals(new ByteRange(100, 199), EntityBytes.resolve("100:199", 10_000));
    assertEquals(new ByteRange(100, 9999), EntityBytes.resolve("100:50000", 10_000));
  }

  @Test
  void refusesMalformedValuesAndRangesPastTheEnd() {
    assertEquals(
        400, assertThrows(GatewayException.class, () -> EntityBytes.resolve("5", 10)).status());
    assertEquals(
        400, assertThrows(GatewayException.class, () -> EntityBytes.resolve("a:b", 10)).status());
    assertEquals(
        400, assertThrows(GatewayException.class, () -> EntityBytes.resolve("10:*", 10)).status());
  }
}
