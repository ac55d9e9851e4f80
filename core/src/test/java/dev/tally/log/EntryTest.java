package dev.tally.log;

import static dev.tally.log.Rejects.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntryTest {
  private final Ed25519PrivateKey alice = Forge.key(1);
  private final LogManifest manifest =
      LogManifest.create("loans", 1, List.of(alice.publicKey()), 0, List.of());

  private IpldMap unsigned(long time, List<Cid> next, String text) {
    return Forge.unsigned(
        manifest.cid(), time, next, List.of(), Forge.record(text), alice.publicKey().raw());
  }

  @Test
  void signedEntryHoldsExactlyTheArchitectureFields() {
    Entry e = Entry.sign(manifest.cid(), 1, List.of(), List.of(), Forge.record("a"), alice);
    assertEquals(
        Set.of("v", "log", "clock", "next", "refs", "record", "author", "sig"),
        Set.copyOf(DagCbor.decode(e.block().bytes()).asMap().keys()));
    assertEquals(
        Set.of("peer", "time"), Set.copyOf(e.node().get("clock").orElseThrow().asMap().keys()));
    e.verifySignature(manifest);
  }

  @Test
  void signatureCoversTheEntryWithoutSig() {
    Entry e = Entry.sign(manifest.cid(), 1, List.of(), List.of(), Forge.record("a"), alice);
    byte[] sig = e.node().get("sig").orElseThrow().asBytes();
    assertTrue(alice.publicKey().verify(DagCbor.encode(unsigned(1, List.of(), "a")), sig));
  }

  @Test
  void signedBytesAreTheCanonicalEncodingWithoutSigForAnyRecordAndLinks() {
    Cid parent =
        Entry.sign(manifest.cid(), 1, List.of(), List.of(), Forge.record("p"), alice).cid();
    List<IpldNode> records =
        List.of(
            IpldNode.ofNull(),
            Forge.record("x".repeat(300)),
            IpldNode.of(new byte[70000 / 2]),
            IpldNode.list(IpldNode.of(parent), IpldNode.of(-5)));
    for (IpldNode record : records) {
      Entry e = Entry.sign(manifest.cid(), 2, List.of(parent), List.of(parent), record, alice);
      IpldMap u =
          Forge.unsigned(
              manifest.cid(), 2, List.of(parent), List.of(parent), record, alice.publicKey().raw());
      org.junit.jupiter.api.Assertions.assertArrayEquals(DagCbor.encode(u), e.signedBytes());
    }
  }

  @Test
  void rejectsNonCanonicalEncodingOfAValidlySignedEntry() {
    Block good = Forge.signed(manifest.cid(), 1, List.of(), List.of(), Forge.record("a"), alice);
    String hex = HexFormat.of().formatHex(good.bytes());
    // "v": 1 re-encoded with a one-byte argument (0x18 0x01): valid CBOR, forbidden in DAG-CBOR,
    // and the signature still covers the same data model.
    String bent = hex.replaceFirst("617601", "61761801");
    assertNotEquals(hex, bent);
    Block block = Block.create(DagCbor.CODE, HexFormat.of().parseHex(bent));
    assertRejected(Kind.NON_CANONICAL, () -> Entry.decodeUntrusted(block));
  }

  @Test
  void rejectsBytesThatDoNotHashToTheirCid() {
    Block good = Forge.signed(manifest.cid(), 1, List.of(), List.of(), Forge.record("a"), alice);
    Block other = Forge.signed(manifest.cid(), 1, List.of(), List.of(), Forge.record("b"), alice);
    assertRejected(Kind.BAD_HASH, () -> Entry.decodeUntrusted(Block.of(good.cid(), other.bytes())));
  }

  @Test
  void refusesToSignOrDecodeEntriesOver64KiB() {
    IpldNode big = IpldNode.of(new byte[Entry.MAX_SIZE]);
    LogException e =
        assertThrows(
            LogException.class,
            () -> Entry.sign(manifest.cid(), 1, List.of(), List.of(), big, alice));
    assertTrue(e.getMessage().contains("65536"), e.getMessage());
    Block forged = Forge.signed(manifest.cid(), 1, List.of(), List.of(), big, alice);
    assertRejected(Kind.TOO_LARGE, () -> Entry.decodeUntrusted(forged));
  }

  @Test
  void rejectsExtraAndMissingFields() {
    IpldMap u = unsigned(1, List.of(), "a");
    IpldMap.Builder b = IpldNode.map();
    u.entries().forEach(en -> b.put(en.getKey(), en.getValue()));
    IpldMap extra = b.put("extra", 1).put("sig", new byte[64]).build();
    assertRejected(
        Kind.MALFORMED,
        () -> Entry.decodeUntrusted(Block.create(DagCbor.CODE, DagCbor.encode(extra))));
    assertRejected(
        Kind.MALFORMED, () -> Entry.decodeUntrusted(Block.create(DagCbor.CODE, DagCbor.encode(u))));
  }

  @Test
  void rejectsUnsortedNext() {
    Cid a = Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.of("a"))).cid();
    Cid c = Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.of("c"))).cid();
    List<Cid> descending = a.compareTo(c) > 0 ? List.of(a, c) : List.of(c, a);
    IpldMap u = unsigned(2, descending, "x");
    Block block =
        Block.create(DagCbor.CODE, DagCbor.encode(Forge.withSig(u, alice.sign(DagCbor.encode(u)))));
    assertRejected(Kind.MALFORMED, () -> Entry.decodeUntrusted(block));
  }

  @Test
  void signatureChecksNameWriterSignatureAndLogFaults() {
    Ed25519PrivateKey mallory = Forge.key(99);
    Entry outsider =
        Entry.decode(
            Forge.signed(manifest.cid(), 1, List.of(), List.of(), Forge.record("m"), mallory));
    Entry good = Entry.sign(manifest.cid(), 1, List.of(), List.of(), Forge.record("a"), alice);
    byte[] sig = good.node().get("sig").orElseThrow().asBytes();
    sig[5] ^= 1;
    Entry forged =
        Entry.decode(
            Block.create(
                DagCbor.CODE, DagCbor.encode(Forge.withSig(unsigned(1, List.of(), "a"), sig))));
    LogManifest other = LogManifest.create("other", 1, List.of(alice.publicKey()), 0, List.of());
    assertRejected(Kind.NOT_A_WRITER, () -> outsider.verifySignature(manifest));
    assertRejected(Kind.BAD_SIGNATURE, () -> forged.verifySignature(manifest));
    assertRejected(Kind.WRONG_LOG, () -> good.verifySignature(other));
  }
}
