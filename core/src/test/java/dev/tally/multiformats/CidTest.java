package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidTest {
  private static final String KUBO_HELLO = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o";
  // The raw-leaf CIDv1 of "hello world" as Kubo and Helia print it.
  private static final String RAW_HELLO =
      "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

  /** The dag-pb node Kubo builds for the file "hello world\n" (UnixFS File, one chunk). */
  private static byte[] kuboHelloNode() {
    byte[] text = "hello world\n".getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(20);
    b.put(new byte[] {0x0a, 0x12, 0x08, 0x02, 0x12, 0x0c}).put(text).put(new byte[] {0x18, 0x0c});
    return b.array();
  }

  @Test
  void computesKubosCidForHelloWorldFile() {
    Cid cid = Cid.v0(Multihash.sha256(kuboHelloNode()));
    assertEquals(KUBO_HELLO, cid.toString());
    assertEquals(cid, Cid.parse(KUBO_HELLO));
    assertEquals(0, cid.version());
    assertEquals(Multicodec.DAG_PB, cid.codec());
    assertEquals(34, cid.encodedLength());
  }

  @Test
  void computesTheRawLeafCidOfHelloWorld() {
    Cid cid =
        Cid.v1(Multicodec.RAW, Multihash.sha256("hello world".getBytes(StandardCharsets.UTF_8)));
    assertEquals(RAW_HELLO, cid.toString());
    assertEquals(cid, Cid.parse(RAW_HELLO));
    assertEquals(Multicodec.RAW, cid.codec());
  }

  @Test
  void parsesTheCidSpecExample() {
    // multiformats/cid README: base58btc - cidv1 - raw - (sha2-256 : 256 : 6E6FF795…).
    Cid cid = Cid.parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
    assertEquals(1, cid.version());
    assertEquals(Multicodec.RAW, cid.codec());
    assertEquals(Multicodec.SHA2_256, cid.multihash().code());
    assertEquals(
        "6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95",
        Hex.of(cid.multihash().digest()));
    assertEquals("bafkreidon73zkcrwdb5iafqtijxildoonbwnpv7dyd6ef3qdgads2jc4su", cid.toString());
    assertEquals(
        "zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", cid.toString(Multibase.BASE58BTC));
  }

  @Test
  void acceptsMultibaseEncodedCidv0BinaryButPrintsItAsCidv0() {
    Cid v0 = Cid.parse(KUBO_HELLO);
    Cid viaBase32 = Cid.parse(Multibase.BASE32.encode(v0.bytes()));
    assertEquals(v0, viaBase32);
    assertEquals(KUBO_HELLO, viaBase32.toString());
  }

  @Test
  void convertsBetweenVersions() {
    Cid v0 = Cid.parse(KUBO_HELLO);
    Cid v1 = v0.toV1();
    assertEquals(1, v1.version());
    assertEquals(v0.multihash(), v1.multihash());
    assertNotEquals(v0, v1);
    assertEquals(v0, v1.toV0());
    assertArrayEquals(Hex.bytes("0170"), java.util.Arrays.copyOf(v1.bytes(), 2));
    assertTrue(v1.toString().startsWith("bafybei"));
    assertThrows(CidFormatException.class, () -> Cid.parse(RAW_HELLO).toV0());
  }

  @Test
  void parsesCidv1InAnyBase() {
    Cid cid = Cid.parse(RAW_HELLO);
    for (Multibase base : Multibase.values()) {
      String text = cid.toString(base);
      assertEquals(cid, Cid.parse(text), base.canonicalName());
    }
  }

  @Test
  void writesAndReadsBinary() throws IOException {
    Cid cid = Cid.parse(RAW_HELLO);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cid.writeTo(out);
    out.write(0x42);
    ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
    assertEquals(cid, Cid.read(buf));
    assertEquals(cid.encodedLength(), buf.position());
    assertEquals(cid, Cid.decode(cid.bytes()));
  }

  @ParameterizedTest
  @CsvSource({
    "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5, 46 base58btc",
    "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5oo, 46 base58btc",
    "Qm00000000000000000000000000000000000000000000, invalid character",
    "xyz, unknown multibase prefix",
    "b, ''"
  })
  void rejectsMalformedText(String text, String expected) {
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.parse(text));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "0070122046d44814b9c5af141c3aaab7c05dc5e844ead5f91f12858b021eba45768b4c0e, version 0",
    "0270122046d44814b9c5af141c3aaab7c05dc5e844ead5f91f12858b021eba45768b4c0e, unsupported CID version 2",
    "01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde900, trailing",
    "01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcd, truncated",
    "1220b94d27, truncated CIDv0",
    "1210b94d27b9934d3e08a52e52d7da7d, 32-byte",
    "01ffffffffffffffffff0112, longer than 9 bytes",
    "0155128102, exceeds the limit"
  })
  void rejectsMalformedBinary(String hex, String expected) {
    byte[] b = Hex.bytes(hex);
    CidFormatException e = assertThrows(CidFormatException.class, () -> Cid.decode(b));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    ByteBuffer buf = ByteBuffer.wrap(b);
    if (!expected.equals("trailing")) {
      assertThrows(CidFormatException.class, () -> Cid.read(buf));
      assertEquals(0, buf.position());
    }
  }

  @Test
  void refusesOtherBasesForCidv0() {
    assertThrows(CidFormatException.class, () -> Cid.parse(KUBO_HELLO).toString(Multibase.BASE32));
  }
}
