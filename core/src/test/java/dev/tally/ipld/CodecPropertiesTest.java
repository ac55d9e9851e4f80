package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random data-model values survive every codec that can represent them. */
class CodecPropertiesTest {

  @Provide
  Arbitrary<IpldNode> nodes() {
    return IpldArbitraries.nodes();
  }

  @Property(tries = 500)
  void dagCborRoundTripsToEqualValueAndIdenticalBytes(@ForAll("nodes") IpldNode node) {
    byte[] bytes = DagCbor.encode(node);
    IpldNode decoded = DagCbor.decode(bytes);
    assertEquals(node, decoded);
    assertArrayEquals(bytes, DagCbor.encode(decoded));
  }

  @Property(tries = 500)
  void dagJsonRoundTripsToEqualValueAndIdenticalBytes(@ForAll("nodes") IpldNode node) {
    Assume.that(representableInDagJson(node));
    byte[] bytes = DagJson.encode(node);
    IpldNode decoded = DagJson.decode(bytes);
    assertEquals(node, decoded);
    assertArrayEquals(bytes, DagJson.encode(decoded));
  }

  @Property(tries = 300)
  void dagJsonAndDagCborAgreeOnTheDataModel(@ForAll("nodes") IpldNode node) {
    Assume.that(representableInDagJson(node));
    IpldNode viaJson = DagJson.decode(DagJson.encode(node));
    assertArrayEquals(DagCbor.encode(node), DagCbor.encode(viaJson));
  }

  @Property(tries = 1000)
  void dagJsonFloatTextReadsBackToTheSameDouble(@ForAll("floats") IpldNode f) {
    String text = JsonNumbers.formatDouble(f.asDouble());
    assertEquals(
        Double.doubleToRawLongBits(f.asDouble()),
        Double.doubleToRawLongBits(Double.parseDouble(text)));
    assertEquals(f, DagJson.decode(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Provide
  Arbitrary<IpldNode> floats() {
    return IpldArbitraries.floats();
  }

  /** DAG-JSON reserves maps shaped like its link and bytes forms; nothing else is excluded. */
  static boolean representableInDagJson(IpldNode node) {
    switch (node.kind()) {
      case LIST:
        return node.asList().stream().allMatch(CodecPropertiesTest::representableInDagJson);
      case MAP:
        IpldMap m = node.asMap();
        return !ReservedForms.isReserved(m)
            && m.toJavaMap().values().stream()
                .allMatch(CodecPropertiesTest::representableInDagJson);
      default:
        return true;
    }
  }
}
