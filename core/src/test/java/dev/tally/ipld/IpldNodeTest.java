package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class IpldNodeTest {

  @Test
  void mapsAreEqualWhateverTheirEntryOrder() {
    IpldMap ab = IpldNode.map().put("a", 1).put("b", "x").build();
    IpldMap ba = IpldNode.map().put("b", "x").put("a", 1).build();
    assertEquals(ab, ba);
    assertEquals(ab.hashCode(), ba.hashCode());
    assertNotEquals(ab, IpldNode.map().put("a", 2).put("b", "x").build());
  }

  @Test
  void refusesDuplicateKeysAndInvalidUnicode() {
    assertThrows(
        IllegalArgumentException.class, () -> IpldNode.map().put("a", 1).put("a", 2).build());
    assertThrows(IllegalArgumentException.class, () -> IpldNode.of("\ud800"));
    assertThrows(IllegalArgumentException.class, () -> IpldNode.of(Double.NaN));
  }

  @Test
  void integersCoverBothSixtyFourBitRanges() {
    BigInteger max = new BigInteger("18446744073709551615");
    BigInteger min = new BigInteger("-18446744073709551616");
    assertEquals(max, IpldNode.of(max).asBigInteger());
    assertEquals(min, IpldNode.of(min).asBigInteger());
    assertEquals(IpldNode.of(-1L), IpldNode.of(BigInteger.ONE.negate()));
    assertThrows(ArithmeticException.class, () -> IpldNode.of(max).asLong());
    assertThrows(IllegalArgumentException.class, () -> IpldNode.of(max.add(BigInteger.ONE)));
  }

  @Test
  void floatsDistinguishNegativeZero() {
    assertNotEquals(IpldNode.of(0.0), IpldNode.of(-0.0));
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] b = {1, 2};
    IpldBytes node = IpldNode.of(b);
    b[0] = 9;
    node.asBytes()[1] = 9;
    assertEquals(IpldNode.of(new byte[] {1, 2}), node);
  }

  @Test
  void wrongKindAccessFailsWithBothKindsNamed() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> IpldNode.of("x").asMap());
    assertEquals("expected a map but found a string", e.getMessage());
  }

  @Test
  void toStringIsDagJsonText() {
    IpldMap m = IpldNode.map().put("b", IpldNode.of(new byte[] {1})).put("a", 1).build();
    assertEquals("{\"a\":1,\"b\":{\"/\":{\"bytes\":\"AQ\"}}}", m.toString());
  }
}
