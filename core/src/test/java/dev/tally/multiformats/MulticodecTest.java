package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MulticodecTest {
  @Test
  void constantsAgreeWithTheTable() {
    assertEquals(Multicodec.IDENTITY, Multicodec.require("identity").code());
    assertEquals(Multicodec.SHA1, Multicodec.require("sha1").code());
    assertEquals(Multicodec.SHA2_256, Multicodec.require("sha2-256").code());
    assertEquals(Multicodec.SHA2_512, Multicodec.require("sha2-512").code());
    assertEquals(Multicodec.SHA3_512, Multicodec.require("sha3-512").code());
    assertEquals(Multicodec.SHA3_256, Multicodec.require("sha3-256").code());
    assertEquals(Multicodec.BLAKE3, Multicodec.require("blake3").code());
    assertEquals(Multicodec.RAW, Multicodec.require("raw").code());
    assertEquals(Multicodec.DAG_PB, Multicodec.require("dag-pb").code());
    assertEquals(Multicodec.DAG_CBOR, Multicodec.require("dag-cbor").code());
    assertEquals(Multicodec.LIBP2P_KEY, Multicodec.require("libp2p-key").code());
    assertEquals(Multicodec.DAG_JSON, Multicodec.require("dag-json").code());
    assertEquals(Multicodec.BLAKE2B_256, Multicodec.require("blake2b-256").code());
    assertEquals(Multicodec.BLAKE2B_512, Multicodec.require("blake2b-512").code());
    assertEquals(Multicodec.CAR, Multicodec.require("car").code());
  }

  @Test
  void looksUpByCodeWithTagAndStatus() {
    Multicodec pb = Multicodec.byCode(0x70).orElseThrow();
    assertEquals("dag-pb", pb.name());
    assertEquals("ipld", pb.tag());
    assertEquals("permanent", pb.status());
    assertTrue(Multicodec.byCode(0x7fff_ffff_ffffL).isEmpty());
  }

  @Test
  void rejectsUnknownNames() {
    MultiformatException e =
        assertThrows(MultiformatException.class, () -> Multicodec.require("no-such-codec"));
    assertTrue(e.getMessage().contains("no-such-codec"));
  }
}
