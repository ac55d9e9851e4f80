package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogVerificationException.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A manifest with {@code admission: "writers"} (a cluster's): every writer, not only the admins,
 * admits and removes writers, each admission judged in the entry's causal past.
 */
class WritersAdmitTest {
  private final Ed25519PrivateKey admin = Forge.key(11);
  private final Ed25519PrivateKey bob = Forge.key(12);
  private final Ed25519PrivateKey carol = Forge.key(13);
  private final Ed25519PrivateKey dave = Forge.key(14);
  private final LogManifest manifest =
      LogManifest.create(
          "team", 1, List.of(admin.publicKey()), 0, List.of(admin.publicKey()), true);
  private final Log log = Log.create(manifest, new MemoryBlockstore());

  private Log replica() {
    return Log.create(manifest, new MemoryBlockstore());
  }

  @Test
  void theAdmissionFieldIsPartOfTheManifestAndSurvivesItsBlock() {
    LogManifest plain =
        LogManifest.create("team", 1, List.of(admin.publicKey()), 0, List.of(admin.publicKey()));
    assertNotEquals(plain.cid(), manifest.cid(), "the admission rule names another log");
    assertFalse(plain.writersAdmit());
    LogManifest parsed = LogManifest.fromBlock(manifest.block());
    assertTrue(parsed.writersAdmit());
    assertEquals(manifest.cid(), parsed.cid());
  }

  @Test
  void aManifestWithAnUnknownAdmissionRuleIsRefused() {
    IpldNode m =
        IpldNode.map()
            .put("type", LogManifest.TYPE)
            .put("v", 1)
            .put("name", "team")
            .put("schema", 1)
            .put("writers", IpldNode.list(List.of(IpldNode.of(admin.publicKey().raw()))))
            .put("created", 0)
            .put("admission", "anyone")
            .build();
    Block b = Block.create(DagCbor.CODE, DagCbor.encode(m));
    LogException e = assertThrows(LogException.class, () -> LogManifest.fromBlock(b));
    assertTrue(e.getMessage().contains("\"anyone\""), e.getMessage());
  }

  @Test
  void anAdmittedWriterAdmitsTheNextAndAReplicaAcceptsTheChain() {
    log.addWriter(bob.publicKey(), admin);
    log.addWriter(carol.publicKey(), bob); // bob is no admin, only a writer
    log.append(Forge.record("carol writes"), carol);
    assertTrue(log.canWrite(carol.publicKey()));

    Log other = replica();
    JoinResult r = other.join(log.heads(), log.store()::get);
    assertEquals(List.of(), r.rejected());
    assertEquals(3, other.size());
    assertTrue(other.canWrite(carol.publicKey()));
    assertTrue(Log.open(manifest, log.store(), log.heads()).canWrite(carol.publicKey()));
  }

  @Test
  void aWriterRemovesAnotherWhoCannotWriteAfterwards() {
    log.addWriter(bob.publicKey(), admin);
    log.addWriter(carol.publicKey(), admin);
    log.removeWriter(carol.publicKey(), bob);
    assertFalse(log.canWrite(carol.publicKey()));
    assertThrows(LogException.class, () -> log.append(Forge.record("x"), carol));
    Log other = replica();
    assertEquals(List.of(), other.join(log.heads(), log.store()::get).rejected());
    assertFalse(other.canWrite(carol.publicKey()));
  }

  @Test
  void anAdmissionByAKeyThatIsNotAWriterInItsPastIsRejected() {
    // dave was never admitted: his admission of carol, and carol's entry after it, are refused.
    Block forged =
        Forge.signed(
            manifest.cid(),
            1,
            List.of(),
            List.of(),
            Admission.writerAdded(carol.publicKey()),
            dave);
    Block byCarol =
        Forge.signed(manifest.cid(), 2, List.of(forged.cid()), List.of(), Forge.record("c"), carol);
    Log other = replica();
    JoinResult r =
        other.join(
            List.of(byCarol.cid()),
            c ->
                Optional.of(c.equals(forged.cid()) ? forged : byCarol)
                    .filter(b -> b.cid().equals(c)));
    assertEquals(0, other.size());
    assertEquals(Kind.NOT_A_WRITER, r.rejected().get(0).kind());
    assertFalse(other.canWrite(carol.publicKey()));
  }

  @Test
  void aRemovedWriterCannotAdmitAfterItsRemoval() {
    log.addWriter(bob.publicKey(), admin);
    log.removeWriter(bob.publicKey(), admin);
    assertThrows(LogException.class, () -> log.addWriter(carol.publicKey(), bob));
    assertFalse(log.canWrite(carol.publicKey()));
  }
}
