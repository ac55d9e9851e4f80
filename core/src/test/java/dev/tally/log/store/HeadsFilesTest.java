package dev.tally.log.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadsFilesTest {
  @TempDir Path dir;

  private static Cid cid(String s) {
    return Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.of(s))).cid();
  }

  @Test
  void savesAndReadsHeadsPerLog() {
    HeadsFiles files = new HeadsFiles(dir.resolve("logs"));
    assertEquals(List.of(), files.logs());
    assertEquals(Optional.empty(), files.heads(cid("log")));
    files.save(cid("log"), List.of());
    assertEquals(Optional.of(List.of()), files.heads(cid("log")));
    files.save(cid("log"), List.of(cid("a"), cid("b")));
    files.save(cid("log2"), List.of(cid("c")));
    assertEquals(Optional.of(List.of(cid("a"), cid("b"))), files.heads(cid("log")));
    List<Cid> both = new java.util.ArrayList<>(List.of(cid("log"), cid("log2")));
    both.sort(null);
    assertEquals(both, files.logs());
    assertFalse(Files.exists(dir.resolve("logs").resolve(cid("log") + ".heads.tmp")));
  }
}
