package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogManifestTest {
  private final Ed25519PublicKey a = Forge.key(1).publicKey();
  private final Ed25519PublicKey b = Forge.key(2).publicKey();

  @Test
  void roundTripsThroughItsBlock() {
    LogManifest m = LogManifest.create("loans", 3, List.of(b, a), 1700000000000L, List.of(a));
    LogManifest back = LogManifest.fromBlock(Block.of(m.cid(), m.block().bytes()));
    assertEquals(m, back);
    assertEquals("loans", back.name());
    assertEquals(3, back.schema());
    assertEquals(1700000000000L, back.created());
    assertEquals(List.of(a), back.admins());
    assertEquals(2, back.writers().size());
    assertTrue(back.writer(b.raw()).isPresent());
    assertTrue(back.writer(Forge.key(3).publicKey().raw()).isEmpty());
  }

  @Test
  void writerOrderDoesNotChangeTheLogId() {
    assertEquals(
        LogManifest.create("x", 1, List.of(a, b), 5, List.of()).cid(),
        LogManifest.create("x", 1, List.of(b, a), 5, List.of()).cid());
  }

  @Test
  void rejectsUnsortedWriterList() {
    LogManifest m = LogManifest.create("x", 1, List.of(a, b), 5, List.of());
    List<IpldNode> reversed =
        List.of(IpldNode.of(m.writers().get(1).raw()), IpldNode.of(m.writers().get(0).raw()));
    byte[] bytes =
        DagCbor.encode(
            IpldNode.map()
                .put("type", "tally/log")
                .put("v", 1)
                .put("name", "x")
                .put("schema", 1)
                .put("writers", IpldNode.list(reversed))
                .put("created", 5)
                .build());
    assertThrows(
        LogException.class, () -> LogManifest.fromBlock(Block.create(DagCbor.CODE, bytes)));
  }

  @Test
  void rejectsBytesThatDoNotHashToTheLogId() {
    LogManifest m = LogManifest.create("x", 1, List.of(a), 5, List.of());
    LogManifest n = LogManifest.create("y", 1, List.of(a), 5, List.of());
    assertThrows(
        LogException.class, () -> LogManifest.fromBlock(Block.of(m.cid(), n.block().bytes())));
  }

  @Test
  void needsAWriter() {
    Ed25519PrivateKey unused = Forge.key(4);
    assertThrows(LogException.class, () -> LogManifest.create("x", 1, List.of(), 0, List.of()));
    assertThrows(
        LogException.class,
        () -> LogManifest.create("", 1, List.of(unused.publicKey()), 0, List.of()));
  }
}
