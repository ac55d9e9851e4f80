package dev.tally.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The examples of RFC 9110 section 14.1.2 on a 10,000-byte representation, and edge cases. */
class ByteRangeTest {
  private static Optional<ByteRange> parse(String header) {
    return ByteRange.parse(header, 10_000);
  }

  @Test
  void followsTheRfcExamples() {
    assertEquals(Optional.of(new ByteRange(0, 499)), parse("bytes=0-499"));
    assertEquals(Optional.of(new ByteRange(500, 999)), parse("bytes=500-999"));
    assertEquals(Optional.of(new ByteRange(9500, 9999)), parse("bytes=-500"));
    assertEquals(Optional.of(new ByteRange(9500, 9999)), parse("bytes=9500-"));
    assertEquals(Optional.of(new ByteRange(0, 0)), parse("bytes=0-0"));
    assertEquals(Optional.of(new ByteRange(9999, 9999)), parse("bytes=-1"));
  }

  @Test
  void clampsTheEndAndReportsContentRange() {
    ByteRange r = parse("bytes=9000-20000").orElseThrow();
    assertEquals(new ByteRange(9000, 9999), r);
    assertEquals("bytes 9000-9999/10000", r.contentRange(10_000));
    assertEquals(1000, r.length());
  }

  @Test
  void ignoresWhatIsNotASingleByteRange() {
    assertEquals(Optional.empty(), parse(null));
    assertEquals(Optional.empty(), parse("items=0-5"));
    assertEquals(Optional.empty(), parse("bytes=0-5,10-20"));
    assertEquals(Optional.empty(), parse("bytes=5-1"));
    assertEquals(Optional.empty(), parse("bytes=x-y"));
  }

  @Test
  void refusesUnsatisfiableRangesWith416() {
    assertEquals(416, assertThrows(GatewayException.class, () -> parse("bytes=10000-")).status());
    assertEquals(416, assertThrows(GatewayException.class, () -> parse("bytes=-0")).status());
  }

  @Property
  void aParsedRangeLiesWithinTheContent(
      @ForAll @LongRange(min = 1, max = 1 << 20) long size,
      @ForAll @LongRange(min = 0, max = 1 << 21) long a,
      @ForAll @LongRange(min = 0, max = 1 << 21) long b) {
    try {
      ByteRange.parse("bytes=" + a + "-" + b, size)
          .ifPresent(
              r -> {
                assertTrue(r.start() >= 0 && r.start() <= r.end() && r.end() < size, r.toString());
              });
    } catch (GatewayException e) {
      assertEquals(416, e.status());
    }
  }
}
