package dev.tally.ipld;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DAG-JSON rules from the IPLD spec, with the spec's own examples where it gives them. */
class DagJsonTest {

  private static IpldNode decode(String json) {
    return DagJson.decode(json.getBytes(UTF_8));
  }

  private static String encode(IpldNode node) {
    return new String(DagJson.encode(node), UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"/\":\"foo\",\"bar\":\"baz\"}",
        "{\"/\":{\"bytes\":\"foo\",\"bar\":\"baz\"}}",
        "{\"/\":{\"bytes\":\"foo\"},\"bar\":\"baz\"}",
        "{\"/\":\"bafkqabiaaebagba\",\"a\":1}",
        "{\"/\":{\"bytes\":\"AQID\"},\"a\":1}",
        "{\"a\":1,\"/\":\"x\"}"
      })
  void rejectsTheReservedFormsTheSpecNames(String json) {
    assertThrows(CodecException.class, () -> decode(json));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"/\":true,\"bar\":\"baz\"}",
        "{\"/\":{\"abar\":\"baz\",\"bytes\":\"foo\"}}",
        "{\"/\":{\"bytes\":true},\"bar\":\"baz\"}",
        "{\"/\":{\"/\":{\"bytes\":\"AQID\"}}}"
      })
  void acceptsTheNearMissesTheSpecAllows(String json) {
    IpldNode node = decode(json);
    assertEquals(IpldNode.Kind.MAP, node.kind());
    assertEquals(node, DagJson.decode(DagJson.encode(node)));
  }

  @Test
  void refusesToEncodeMapsThatWouldReadBackAsLinksOrBytes() {
    assertThrows(CodecException.class, () -> DagJson.encode(IpldNode.map().put("/", "x").build()));
    IpldMap bytesLike = IpldNode.map().put("bytes", "AQID").build();
    assertThrows(
        CodecException.class, () -> DagJson.encode(IpldNode.map().put("/", bytesLike).build()));
  }

  @Test
  void readsLinksAndBytes() {
    assertEquals("bafkqabiaaebagba", decode("{\"/\":\"bafkqabiaaebagba\"}").asLink().toString());
    assertEquals(3, decode("{ \"/\" : { \"bytes\" : \"AQID\" } }").asBytes().length);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"/\":\"BAFKQABIAAEBAGBA\"}", // CIDv1 must be lowercase base32
        "{\"/\":\"zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA\"}", // CIDv1 not base32
        "{\"/\":\"bafkqabiaaebagbb\"}", // not a CID
        "{\"/\":{\"bytes\":\"AQI=\"}}", // padding
        "{\"/\":{\"bytes\":\"AQJ\"}}", // non-zero trailing bits
        "{\"/\":{\"bytes\":\"A\"}}"
      })
  void rejectsNonCanonicalLinkAndBytesText(String json) {
    assertThrows(CodecException.class, () -> decode(json));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "NaN",
        "Infinity",
        "1e400",
        "18446744073709551616",
        "-18446744073709551617",
        "[1,]",
        "{\"a\":1,}",
        "{a:1}",
        "\"\t\"",
        "\"\\x\"",
        "\"\\ud800\"",
        "tru",
        "nul",
        "[1] x",
        "{\"a\":1,\"a\":2}"
      })
  void rejectsInvalidJson(String json) {
    assertThrows(CodecException.class, () -> decode(json));
  }

  @Test
  void namesTheRepeatedKey() {
    CodecException e = assertThrows(CodecException.class, () -> decode("{\"foo\":1,\"foo\":2}"));
    assertTrue(e.getMessage().contains("repeat map key \"foo\""), e.getMessage());
  }

  @Test
  void readsTheExtremeIntegers() {
    assertEquals("18446744073709551615", decode("18446744073709551615").toString());
    assertEquals("-18446744073709551616", decode("-18446744073709551616").toString());
  }

  @Test
  void writesWholeFloatsWithADecimalPointSoTheyStayFloats() {
    // The spec: floats without a fractional part are encoded with a decimal point.
    assertEquals("1.0", encode(IpldNode.of(1.0)));
    assertEquals(IpldNode.Kind.FLOAT, decode(encode(IpldNode.of(-42.0))).kind());
  }

  @Test
  void sortsKeysByUtf8BytesNotUtf16Units() {
    // U+FFFF sorts before U+10151 in UTF-8 but after it in UTF-16.
    IpldMap map = IpldNode.map().put("\ud800\udd51", 1).put("\uffff", 2).put("b", 3).build();
    assertEquals("{\"b\":3,\"\uffff\":2,\"\ud800\udd51\":1}", encode(map));
  }

  @Test
  void escapesControlCharacters() {
    assertEquals("\"\\u0001\\n\\\"\\\\\"", encode(IpldNode.of("\u0001\n\"\\")));
  }

  @Test
  void boundsNestingDepth() {
    byte[] deep = new byte[100_000];
    Arrays.fill(deep, (byte) '[');
    assertThrows(CodecException.class, () -> DagJson.decode(deep));
  }
}
