package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.pin.PinType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pack space stays bounded under churn: cycles of adds and garbage collection (each reopening the
 * repo, as a restarted node does) keep the packs within a bound set by the live data, not by the
 * history of writes.
 */
class RepoSpaceTest {
  private static final long PACK = 256 << 10;

  @TempDir Path tmp;

  private static long packBytesOnDisk(Path repo) throws IOException {
    try (Stream<Path> ls = Files.list(repo.resolve(Repo.BLOCKS_DIR))) {
      long sum = 0;
      for (Path p : ls.toList()) {
        sum += Files.size(p);
      }
      return sum;
    }
  }

  @Test
  void putAndGcCyclesKeepThePacksBounded() throws IOException {
    Path dir = tmp.resolve("repo");
    PackOptions options = PackOptions.defaults().withPackBytes(PACK);
    Repo.init(dir, RepoConfig.defaults(), options).close();
    Random random = new Random(5);
    List<Block> pinned = new ArrayList<>();
    for (int cycle = 0; cycle < 8; cycle++) {
      try (Repo repo = Repo.open(dir, options)) {
        for (int batch = 0; batch < 150; batch++) {
          List<Block> blocks = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            byte[] data = new byte[1024];
            random.nextBytes(data);
            blocks.add(Block.create(Multicodec.RAW, data));
          }
          repo.blocks().putAll(blocks);
          if (batch % 50 == 0) {
            repo.pins().add(blocks.get(0).cid(), false, "");
            pinned.add(blocks.get(0));
          }
        }
        GarbageCollector.Result r = repo.gc().collect(new GarbageCollector.Listener() {});
        assertEquals(pinned.size(), r.keptBlocks());
        long live = repo.blocks().totalBytes();
        // After GC every pack but the current one is at least half live.
        assertTrue(
            packBytesOnDisk(dir) <= 2 * (live + 64L * pinned.size()) + 2 * PACK,
            "packs hold " + packBytesOnDisk(dir) + " bytes for " + live + " live");
      }
    }
    try (Repo repo = Repo.open(dir, options)) {
      for (Block b : pinned) {
        assertEquals(b, repo.blocks().get(b.cid()).orElseThrow());
      }
      List<Cid> direct =
          repo.pins().ls(Optional.of(PinType.DIRECT)).stream().map(p -> p.cid()).toList();
      assertEquals(pinned.size(), direct.size());
      assertEquals(pinned.size(), repo.blocks().size());
      List<String> bad = new ArrayList<>();
      repo.verify((cid, why) -> bad.add(cid + " " + why));
      assertEquals(List.of(), bad);
    }
  }
}
