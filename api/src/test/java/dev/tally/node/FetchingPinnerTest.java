package dev.tally.node;

import static dev.tally.node.TestDags.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.exchange.DagFetch;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.dag.MissingBlockException;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry of {@link FetchingPinner}: a block that was stored before the pin started, pinned by
 * nothing, and collected after the fetch read it is fetched again; a block no peer sends fails the
 * pin with its CID instead of looping.
 */
class FetchingPinnerTest {
  @TempDir Path temp;

  private Repo repo;
  private final Random random = new Random(29);

  @BeforeEach
  void open() {
    repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile());
  }

  @AfterEach
  void close() {
    repo.close();
  }

  /**
   * Peers holding {@code blocks}: each fetch stores the missing ones through the repo's leasing
   * view, as the daemon's exchange does, then runs {@code afterFetch} (a collection, in these
   * tests: one that comes between the fetch and the pin's walk).
   */
  private final class Peers implements FetchingPinner.Source {
    final Map<Cid, Block> blocks;
    final Runnable afterFetch;
    int fetches;

    Peers(List<Block> held, Runnable afterFetch) {
      this.blocks = new java.util.HashMap<>();
      held.forEach(b -> blocks.put(b.cid(), b));
      this.afterFetch = afterFetch;
    }

    @Override
    public void dag(Cid root, Consumer<DagFetch.Progress> progress) {
      fetches++;
      Blockstore into = repo.leases().leasing(repo.blocks());
      for (Block b : blocks.values()) {
        if (!repo.blocks().has(b.cid())) {
          into.put(b);
        }
      }
      afterFetch.run();
    }

    @Override
    public void block(Cid cid) {
      dag(cid, p -> {});
    }
  }

  private Set<Cid> gc() {
    Set<Cid> removed = new HashSet<>();
    repo.gc()
        .collect(
            new GarbageCollector.Listener() {
              @Override
              public void removed(Cid cid) {
                removed.add(cid);
              }
            });
    return removed;
  }

  @Test
  void aStoredUnpinnedBlockCollectedBetweenTheFetchAndTheWalkIsFetchedAgain() {
    Block stored = leaf();
    Block fetched = leaf();
    Block root = node(stored, fetched);
    repo.blocks().put(stored); // here before the pin, pinned by nothing
    List<Set<Cid>> collections = new ArrayList<>();
    Peers peers =
        new Peers(
            List.of(root, stored, fetched),
            () -> {
              if (collections.isEmpty()) {
                collections.add(gc());
              }
            });

    new FetchingPinner(repo.pins(), repo.leases(), peers).add(root.cid(), true, "x");

    assertEquals(
        Set.of(raw(stored)),
        collections.get(0),
        "the collection took the unprotected block and kept the fetched ones");
    assertEquals(2, peers.fetches, "fetched again once");
    assertPinnedWhole(root, stored, fetched);
    assertEquals(Set.of(), gc(), "the pin keeps its whole DAG");
  }

  @Test
  void theSameBlockMissingTwiceFailsThePinNamingIt() {
    Block lost = leaf();
    Block root = node(lost, leaf());
    Peers peers = new Peers(List.of(root), () -> {});

    MissingBlockException e =
        assertThrows(
            MissingBlockException.class,
            () -> new FetchingPinner(repo.pins(), repo.leases(), peers).add(root.cid(), true, ""));

    assertEquals(lost.cid(), e.cid());
    assertEquals(2, peers.fetches);
    assertFalse(repo.pins().status(List.of(root.cid())).get(root.cid()).pinned());
  }

  @Test
  void offlineAMissingBlockFailsAtOnce() {
    Block root = node(leaf());
    assertThrows(
        MissingBlockException.class,
        () ->
            new FetchingPinner(repo.pins(), repo.leases(), FetchingPinner.Source.OFFLINE)
                .add(root.cid(), true, ""));
  }

  @Test
  void anUpdateFetchesTheNewDagUnderTheLeaseAndMovesThePin() {
    Block shared = leaf();
    Block oldRoot = node(shared);
    repo.blocks().putAll(List.of(shared, oldRoot));
    repo.pins().add(oldRoot.cid(), true, "n");
    Block fresh = leaf();
    Block newRoot = node(shared, fresh);
    List<Set<Cid>> collections = new ArrayList<>();
    Peers peers = new Peers(List.of(newRoot, fresh), () -> collections.add(gc()));

    new FetchingPinner(repo.pins(), repo.leases(), peers)
        .update(oldRoot.cid(), newRoot.cid(), true);

    assertEquals(Set.of(), collections.get(0), "the fetched blocks outlived the collection");
    assertPinnedWhole(newRoot, shared, fresh);
    assertFalse(repo.pins().status(List.of(oldRoot.cid())).get(oldRoot.cid()).pinned());
    assertEquals(Set.of(raw(oldRoot)), gc(), "only the old root is garbage now");
  }

  @Test
  void aDirectPinOfABlockOnlyPeersHoldFetchesIt() {
    Block only = leaf();
    Peers peers = new Peers(List.of(only), () -> gc());

    new FetchingPinner(repo.pins(), repo.leases(), peers).add(only.cid(), false, "");

    assertTrue(repo.blocks().has(only.cid()), "stored, and kept by the collection after the fetch");
    assertEquals(
        Optional.of(PinType.DIRECT),
        repo.pins().status(List.of(only.cid())).get(only.cid()).type());
  }

  private void assertPinnedWhole(Block root, Block... under) {
    assertEquals(
        Optional.of(PinType.RECURSIVE),
        repo.pins().status(List.of(root.cid())).get(root.cid()).type());
    assertTrue(repo.blocks().has(root.cid()));
    for (Block b : under) {
      assertTrue(repo.blocks().has(b.cid()), b.cid() + " stored");
    }
  }

  private static Cid raw(Block b) {
    return Cid.v1(Multicodec.RAW, b.cid().multihash());
  }

  private Block leaf() {
    return TestDags.leaf(random, 2000);
  }
}
