package dev.tally.storage.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.blocks.StorageFullException;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repo on a 20 MiB tmpfs fills up: the batch that does not fit fails with a clear error and
 * stores nothing, earlier blocks and pins stay readable, and the repo reopens without repair. Needs
 * root to mount the tmpfs; skipped otherwise.
 */
class DiskFullTest {
  @TempDir Path tmp;

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void aFullDiskFailsTheBatchCleanlyAndTheRepoKeepsServing() throws Exception {
    Path mount = tmp.resolve("small");
    Files.createDirectories(mount);
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", mount.toString()),
        "cannot mount a tmpfs (needs root)");
    try {
      Path dir = mount.resolve("repo");
      Random random = new Random(4);
      List<Block> stored = new ArrayList<>();
      try (Repo repo = Repo.init(dir, RepoConfig.defaults())) {
        StorageFullException full = null;
        for (int round = 0; round < 20 && full == null; round++) {
          List<Block> batch = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            byte[] data = new byte[256 << 10];
            random.nextBytes(data);
            batch.add(Block.create(Multicodec.RAW, data));
          }
          long before = repo.blocks().size();
          try {
            repo.blocks().putAll(batch);
            repo.pins().add(batch.get(0).cid(), false, "");
            stored.addAll(batch);
          } catch (StorageFullException e) {
            full = e;
            assertEquals(before, repo.blocks().size());
          }
        }
        StorageFullException e = full;
        assertTrue(e != null, "20 MiB never filled");
        assertTrue(e.getMessage().contains("is full"), e.getMessage());
        for (Block b : stored) {
          assertEquals(b, repo.blocks().get(b.cid()).orElseThrow());
        }
      }
      try (Repo reopened = Repo.open(dir)) {
        assertEquals(stored.size(), reopened.blocks().size());
        List<String> bad = new ArrayList<>();
        reopened.verify((cid, why) -> bad.add(cid + " " + why));
        assertEquals(List.of(), bad);
        assertTrue(reopened.pins().verify(false, v -> {}));
      }
    } finally {
      run("umount", mount.toString());
    }
  }
}
