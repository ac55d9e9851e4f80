package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.car.CarWriter;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointBundleTest {
  private final Ed25519PrivateKey alice = Forge.key(1);
  private final Ed25519PrivateKey bob = Forge.key(2);
  private final Ed25519PrivateKey carol = Forge.key(3);
  private final LogManifest three =
      LogManifest.create(
          "loans",
          1,
          List.of(alice.publicKey(), bob.publicKey(), carol.publicKey()),
          0,
          List.of(alice.publicKey()));

  private static byte[] bundle(Log log, Cid cp) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointBundle.write(log, cp, out);
    return out.toByteArray();
  }

  private FinalCheckpoint read(byte[] car) throws IOException {
    return CheckpointBundle.read(new ByteArrayInputStream(car), three.cid(), 1_000_000);
  }

  @Test
  void aNewReplicaChecksTheBundleThenFetchesTheHistoryItCovers() throws IOException {
    Log a = Log.create(three, new MemoryBlockstore());
    List<Cid> appended = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      appended.add(a.append(Forge.record("e" + i), i % 2 == 0 ? alice : bob).cid());
    }
    Cid state = Block.create(DagCbor.CODE, DagCbor.encode(Forge.record("book"))).cid();
    Entry c = a.checkpoints().propose(alice, a.heads(), Optional.of(state));
    a.checkpoints().endorse(c.cid(), carol, (log, cp) -> Optional.of(state));
    a.append(Forge.record("after"), bob);

    FinalCheckpoint f = read(bundle(a, c.cid()));
    assertEquals(c.cid(), f.checkpoint().cid());
    assertEquals(2000, f.checkpoint().count());
    assertEquals(appended, f.covered());
    assertEquals(Optional.of(state), f.checkpoint().stateRoot());
    assertEquals(2, f.checkpoint().signers().size());

    Log fresh = Log.create(three, new MemoryBlockstore());
    fresh.vouch(f);
    JoinResult r = fresh.join(a.heads(), a.store()::get);
    assertEquals(List.of(), r.rejected());
    assertEquals(a.order(), fresh.order());
    assertEquals(c.cid(), fresh.checkpoints().latestFinal().orElseThrow().cid());
  }

  @Test
  void aBundleWithoutAQuorumOrWithAnAlteredBlockIsRefused() throws IOException {
    Log a = Log.create(three, new MemoryBlockstore());
    a.append(Forge.record("1"), alice);
    Entry c = a.checkpoints().propose(alice);
    Entry endorsement = a.checkpoints().endorse(c.cid(), bob);
    byte[] car = bundle(a, c.cid());

    byte[] withoutEndorsement = CarEdit.without(car, x -> x.equals(endorsement.cid()));
    LogException e = assertThrows(LogException.class, () -> read(withoutEndorsement));
    assertTrue(e.getMessage().contains("quorum is 2"), e.getMessage());

    byte[] bad = car.clone();
    bad[bad.length - 5] ^= 1;
    assertThrows(RuntimeException.class, () -> read(bad));
    LogManifest other = LogManifest.create("other", 1, List.of(alice.publicKey()), 0, List.of());
    assertThrows(
        LogException.class,
        () -> CheckpointBundle.read(new ByteArrayInputStream(car), other.cid(), 1_000_000));
    assertThrows(
        LogException.class,
        () -> CheckpointBundle.read(new ByteArrayInputStream(car), three.cid(), 0));
  }

  @Test
  void vouchingSkipsOnlyTheSignaturesOfWhatTheQuorumCovered() throws IOException {
    // A quorum that lies: alice and bob finalise a checkpoint over an entry whose signature is bad.
    Block forgedRoot = Forge.signed(three.cid(), 1, List.of(), List.of(), Forge.record("r"), alice);
    byte[] bytes = forgedRoot.bytes().clone();
    bytes[bytes.length - 1] ^= 1; // the last byte is in the record: the signature no longer holds
    Block badSig = Block.create(DagCbor.CODE, bytes);
    OrderIndex.Built index = OrderIndex.build(List.of(badSig.cid()));
    Block c =
        Forge.signed(
            three.cid(),
            2,
            List.of(badSig.cid()),
            List.of(),
            CheckpointRecords.checkpoint(
                new CheckpointRecords.Digest(
                    1, List.of(badSig.cid()), index.root(), Optional.empty())),
            alice);
    Block e =
        Forge.signed(
            three.cid(),
            3,
            List.of(c.cid()),
            List.of(badSig.cid()),
            CheckpointRecords.endorsement(c.cid()),
            bob);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter w = CarWriter.open(out, List.of(c.cid()))) {
      w.write(three.block());
      w.write(c);
      w.write(e);
      for (Block b : index.blocks()) {
        w.write(b);
      }
    }
    FinalCheckpoint f = read(out.toByteArray());
    Map<Cid, Block> all = new HashMap<>();
    for (Block b : List.of(badSig, c, e)) {
      all.put(b.cid(), b);
    }

    Log plain = Log.create(three, new MemoryBlockstore());
    JoinResult refused = plain.join(List.of(e.cid()), x -> Optional.ofNullable(all.get(x)));
    assertEquals(Kind.BAD_SIGNATURE, refused.rejected().get(0).kind());
    assertEquals(0, plain.size());

    Log vouched = Log.create(three, new MemoryBlockstore());
    vouched.vouch(f);
    JoinResult taken = vouched.join(List.of(e.cid()), x -> Optional.ofNullable(all.get(x)));
    assertEquals(List.of(badSig.cid(), c.cid(), e.cid()), taken.added());
    // Outside the covered set signatures are checked as ever.
    Block late =
        Forge.signed(three.cid(), 4, List.of(e.cid()), List.of(c.cid()), Forge.record("x"), carol);
    byte[] lb = late.bytes().clone();
    lb[lb.length - 1] ^= 1;
    Block lateBad = Block.create(DagCbor.CODE, lb);
    JoinResult lateR =
        vouched.join(
            List.of(lateBad.cid()), x -> Optional.of(lateBad).filter(b -> b.cid().equals(x)));
    assertEquals(Kind.BAD_SIGNATURE, lateR.rejected().get(0).kind());
  }
}
