package dev.tally.log.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.car.CarReader;
import dev.tally.car.CarWriter;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.IpldNode;
import dev.tally.log.CarEdit;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogProofTest {
  private final Ed25519PrivateKey alice = Ed25519PrivateKey.fromSeed(new byte[32]);
  private final Ed25519PrivateKey bob = Ed25519PrivateKey.fromSeed(filled(2));
  private final LogManifest manifest =
      LogManifest.create("loans", 1, List.of(alice.publicKey(), bob.publicKey()), 0, List.of());
  private Log log;
  private final List<Cid> chain = new ArrayList<>();

  private static byte[] filled(int v) {
    byte[] b = new byte[32];
    b[0] = (byte) v;
    return b;
  }

  @BeforeEach
  void build() {
    log = Log.create(manifest, new MemoryBlockstore());
    for (int i = 0; i < 300; i++) {
      chain.add(log.append(IpldNode.map().put("n", i).build(), i % 2 == 0 ? alice : bob).cid());
    }
  }

  private byte[] prove(Cid target) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogProof.prove(log, target, out);
    return out.toByteArray();
  }

  @Test
  void proofRoundTripsOfflineAndIsShort() throws IOException {
    byte[] car = prove(chain.get(3));
    LogProof.Checked c = LogProof.check(new ByteArrayInputStream(car), manifest.cid());
    assertEquals(chain.get(3), c.entry().cid());
    assertEquals(log.heads().get(0), c.head());
    assertTrue(c.chain().size() <= 18, "chain of " + c.chain().size());
    assertEquals(3L, c.entry().record().asMap().get("n").orElseThrow().asLong());
    LogProof.Checked again = LogProof.check(new ByteArrayInputStream(car), manifest);
    assertEquals(c.chain(), again.chain());
  }

  @Test
  void provesTheHeadItself() throws IOException {
    Cid head = log.heads().get(0);
    LogProof.Checked c = LogProof.check(new ByteArrayInputStream(prove(head)), manifest.cid());
    assertEquals(List.of(head), c.chain());
  }

  @Test
  void rejectsAFlippedByteAnywhereInTheBlocks() throws IOException {
    byte[] car = prove(chain.get(100));
    // Flip one byte in every 97th position past the header: each hits a CID, a length or block.
    int rejected = 0;
    int tried = 0;
    for (int i = 120; i < car.length; i += 97) {
      byte[] bad = car.clone();
      bad[i] ^= 0x40;
      tried++;
      try {
        LogProof.check(new ByteArrayInputStream(bad), manifest.cid());
      } catch (RuntimeException | IOException e) {
        rejected++;
      }
    }
    assertEquals(tried, rejected);
  }

  @Test
  void rejectsAChainWithAMissingLink() throws IOException {
    byte[] car = prove(chain.get(10));
    List<Block> blocks = new ArrayList<>();
    List<Cid> roots;
    try (CarReader r = CarReader.open(new ByteArrayInputStream(car))) {
      roots = r.roots();
      r.blocks().forEach(blocks::add);
    }
    assertTrue(blocks.size() >= 4);
    blocks.remove(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = CarWriter.open(out, roots)) {
      for (Block b : blocks) {
        w.write(b);
      }
    }
    ProofException e =
        assertThrows(
            ProofException.class,
            () -> LogProof.check(new ByteArrayInputStream(out.toByteArray()), manifest.cid()));
    assertTrue(e.getMessage().contains("does not link"), e.getMessage());
  }

  @Test
  void rejectsAProofForAnotherLogOrByAnOutsider() throws IOException {
    byte[] car = prove(chain.get(10));
    LogManifest other = LogManifest.create("other", 1, List.of(alice.publicKey()), 0, List.of());
    assertThrows(
        ProofException.class, () -> LogProof.check(new ByteArrayInputStream(car), other.cid()));
    // The same entries checked against a manifest in which bob is not a writer.
    LogManifest aliceOnly =
        LogManifest.create("loans", 1, List.of(alice.publicKey()), 0, List.of());
    Log solo = Log.create(aliceOnly, new MemoryBlockstore());
    Entry e = solo.append(IpldNode.of("x"), alice);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogProof.prove(solo, e.cid(), out);
    assertThrows(
        ProofException.class,
        () -> LogProof.check(new ByteArrayInputStream(out.toByteArray()), manifest));
  }

  @Test
  void provesAnEntryByAnAdmittedWriterWithItsAdmissionAndRefusesItWithout() throws IOException {
    Ed25519PrivateKey dave = Ed25519PrivateKey.fromSeed(filled(4));
    LogManifest admin =
        LogManifest.create("loans", 1, List.of(alice.publicKey()), 0, List.of(alice.publicKey()));
    Log l = Log.create(admin, new MemoryBlockstore());
    for (int i = 0; i < 40; i++) {
      l.append(IpldNode.map().put("n", i).build(), alice);
    }
    Entry added = l.addWriter(dave.publicKey(), alice);
    Entry byDave = null;
    for (int i = 0; i < 60; i++) {
      Entry e = l.append(IpldNode.map().put("d", i).build(), i % 3 == 0 ? alice : dave);
      byDave = i == 31 ? e : byDave;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LogProof.prove(l, byDave.cid(), out);
    byte[] car = out.toByteArray();
    LogProof.Checked c = LogProof.check(new ByteArrayInputStream(car), admin.cid());
    assertEquals(byDave.cid(), c.entry().cid());

    assertTrue(CarEdit.cids(car).contains(added.cid()), "admission carried");
    byte[] stripped = CarEdit.without(car, x -> x.equals(added.cid()));
    ProofException e =
        assertThrows(
            ProofException.class,
            () -> LogProof.check(new ByteArrayInputStream(stripped), admin.cid()));
    assertTrue(e.getMessage().contains("no admin's admission"), e.getMessage());
  }
}
