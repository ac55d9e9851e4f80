package dev.tally.storage.gc;

import static dev.tally.storage.pin.Dags.leaf;
import static dev.tally.storage.pin.Dags.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path dir;
  Repo repo;

  @BeforeEach
  void open() {
    repo =
        Repo.init(
            dir.resolve("repo"),
            RepoConfig.defaults(),
            PackOptions.defaults().withPackBytes(32 << 10));
  }

  @AfterEach
  void close() {
    repo.close();
  }

  private static Block random(Random r, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    return Block.create(Multicodec.RAW, b);
  }

  private static final class Recorder implements GarbageCollector.Listener {
    final List<Cid> removed = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override
    public void removed(Cid cid) {
      removed.add(cid);
    }

    @Override
    public void error(String message) {
      errors.add(message);
    }
  }

  @Test
  void aWatchingLeaseKeepsWhatALeasingViewStoresWhileItIsOpen() {
    Blockstore exchange = repo.leases().leasing(repo.blocks());
    Block before = leaf("stored before the lease opened");
    exchange.put(before);
    Block fetched = leaf("fetched while the lease is open");
    Block other = leaf("stored directly, not through the view");
    try (BlockLeases.Lease lease = repo.leases().openWatching()) {
      exchange.put(fetched);
      repo.blocks().put(other);
      repo.gc().collect(new Recorder());
      assertTrue(repo.blocks().has(fetched.cid()));
      assertFalse(repo.blocks().has(before.cid()));
      assertFalse(repo.blocks().has(other.cid()));
    }
    repo.gc().collect(new Recorder());
    assertFalse(repo.blocks().has(fetched.cid()), "closed, the lease protects nothing");
  }

  @Test
  void removesWhatNoPinReachesKeepsThePinnedAndFreesTheDisk() {
    Random r = new Random(1);
    Block c = leaf("c");
    Block root = node("root", c, leaf("b"));
    Block direct = leaf("direct");
    repo.blocks().putAll(List.of(c, leaf("b"), root, direct));
    List<Block> garbage = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      garbage.add(random(r, 4000));
    }
    repo.blocks().putAll(garbage);
    repo.pins().add(root.cid(), true, "");
    repo.pins().add(direct.cid(), false, "");
    long packBytes = repo.blocks().packBytes();

    Recorder rec = new Recorder();
    GarbageCollector.Result result = repo.gc().collect(rec);

    assertEquals(40, result.removedBlocks());
    assertEquals(40 * 4000, result.removedBytes());
    assertEquals(4, repo.blocks().size());
    Set<Cid> expected = new HashSet<>();
    garbage.forEach(g -> expected.add(g.cid()));
    assertEquals(expected, new HashSet<>(rec.removed));
    for (Block kept : List.of(c, leaf("b"), root, direct)) {
      assertEquals(kept, repo.blocks().get(kept.cid()).orElseThrow());
    }
    assertTrue(result.packBytesFreed() > 0);
    assertTrue(repo.blocks().packBytes() < packBytes / 2);
    assertEquals(0, repo.gc().collect(new Recorder()).removedBlocks());
  }

  @Test
  void aLeasedBlockSurvivesUntilItsLeaseCloses() {
    Block b = leaf("in flight");
    try (BlockLeases.Lease lease = repo.leases().open()) {
      lease.guard(repo.blocks()).put(b);
      assertEquals(0, repo.gc().collect(new Recorder()).removedBlocks());
      assertTrue(repo.blocks().has(b.cid()));
    }
    assertEquals(1, repo.gc().collect(new Recorder()).removedBlocks());
    assertFalse(repo.blocks().has(b.cid()));
  }

  @Test
  void abortsWithoutRemovingAnythingWhenAPinnedDagLostABlock() {
    Block c = leaf("c");
    Block mid = node("mid", c);
    Block root = node("root", mid);
    Block loose = leaf("loose");
    repo.blocks().putAll(List.of(c, mid, root, loose));
    repo.pins().add(root.cid(), true, "");
    repo.blocks().delete(mid.cid());
    Recorder rec = new Recorder();
    GcException e = assertThrows(GcException.class, () -> repo.gc().collect(rec));
    assertTrue(e.getMessage().contains(mid.cid().toString()), e.getMessage());
    assertEquals(1, rec.errors.size());
    assertTrue(repo.blocks().has(c.cid()));
    assertTrue(repo.blocks().has(loose.cid()));
  }

  @Test
  void addsRunningDuringCollectionsAreNeverCollected() throws Exception {
    AtomicBoolean adding = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<Block>> adder =
          pool.submit(
              () -> {
                Random r = new Random(7);
                List<Block> roots = new ArrayList<>();
                for (int round = 0; round < 30; round++) {
                  try (BlockLeases.Lease lease = repo.leases().open()) {
                    Blockstore guarded = lease.guard(repo.blocks());
                    List<Block> leaves = new ArrayList<>();
                    for (int batch = 0; batch < 3; batch++) {
                      List<Block> some = List.of(random(r, 2000), random(r, 2000));
                      guarded.putAll(some);
                      leaves.addAll(some);
                      Thread.sleep(1);
                    }
                    Block root = node("r" + round, leaves.toArray(Block[]::new));
                    guarded.put(root);
                    repo.pins().add(root.cid(), true, "");
                    roots.add(root);
                  }
                  repo.blocks().put(random(r, 500)); // garbage, unpinned
                }
                adding.set(false);
                return roots;
              });
      Future<Integer> collector =
          pool.submit(
              () -> {
                int runs = 0;
                while (adding.get()) {
                  repo.gc().collect(new Recorder());
                  runs++;
                }
                return runs;
              });
      List<Block> roots = adder.get(60, TimeUnit.SECONDS);
      assertTrue(collector.get(60, TimeUnit.SECONDS) > 0);
      List<dev.tally.storage.pin.PinVerification> bad = new ArrayList<>();
      assertTrue(repo.pins().verify(false, bad::add), bad.toString());
      assertEquals(30, repo.pins().recursiveRoots().size());
      repo.gc().collect(new Recorder());
      assertEquals(30 * 7, repo.blocks().size());
      for (Block root : roots) {
        assertTrue(repo.blocks().has(root.cid()));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
