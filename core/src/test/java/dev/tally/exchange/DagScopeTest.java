package dev.tally.exchange;

import static dev.tally.exchange.TestPeers.await;
import static dev.tally.exchange.TestPeers.connect;
import static dev.tally.exchange.TestPeers.randomFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.exchange.TestPeers.Node;
import dev.tally.exchange.dag.DagException;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.dag.DagRequest;
import dev.tally.exchange.dag.DagRequest.StopMode;
import dev.tally.exchange.dag.DagScope;
import dev.tally.exchange.dag.DagSummary;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.ImportedEntry;
import dev.tally.unixfs.UnixfsImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scopes of a {@code /tally/dag/1.0.0} request: block, entity, all, and the exact delta. */
class DagScopeTest {
  private final TestPeers peers = new TestPeers();
  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    peers.close();
  }

  private static DagSummary fetch(Node fetcher, Node seeder, DagRequest request) {
    return await(fetcher.bitswap().dag().fetchInto(seeder.id(), request, fetcher.store(), b -> {}));
  }

  private static DagRequest request(Node n, Cid root, DagScope scope) {
    return n.bitswap().dag().requestFor(List.of(root), List.of()).withScope(scope);
  }

  /**
   * A directory of two 600 KiB files in 256 KiB chunks with raw leaves: each file is a root and 3
   * leaves (600/256 rounds up to 3), so the tree is 1 + 2 × 4 = 9 blocks.
   */
  private Map<String, Cid> directory(Node seeder) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("d"));
    Files.write(dir.resolve("a"), randomFile(600 * 1024, 1));
    Files.write(dir.resolve("b"), randomFile(600 * 1024, 2));
    ImportOptions o = ImportOptions.builder().cidVersion(1).chunker("size-262144").build();
    Map<String, Cid> out = new HashMap<>();
    ImportedEntry root =
        new UnixfsImporter(seeder.store(), o).importPath(dir, e -> out.put(e.path(), e.cid()));
    out.put("", root.cid());
    return out;
  }

  /** The fetcher, the seeder's tree and what a request of {@code scope} for {@code path} got. */
  private record Fetched(Node fetcher, Map<String, Cid> tree, DagSummary summary) {}

  private Fetched fetchFromDirectory(int seed, String path, DagScope scope) throws Exception {
    Node seeder = peers.node(seed);
    Node fetcher = peers.node(seed + 1);
    Map<String, Cid> tree = directory(seeder);
    connect(fetcher, seeder);
    return new Fetched(
        fetcher, tree, fetch(fetcher, seeder, request(fetcher, tree.get(path), scope)));
  }

  @Test
  void blockScopeSendsTheRootAlone() throws Exception {
    Fetched f = fetchFromDirectory(41, "d/a", DagScope.BLOCK);

    assertEquals(1, f.summary().blocks());
    assertTrue(f.summary().complete());
    assertEquals(1, f.fetcher().store().size());
  }

  @Test
  void entityScopeOfAFileSendsAllItsChunks() throws Exception {
    Fetched f = fetchFromDirectory(43, "d/a", DagScope.ENTITY);

    assertEquals(4, f.summary().blocks());
    assertTrue(f.summary().complete());
    assertEquals(600 * 1024, TestPeers.cat(f.fetcher().store(), f.tree().get("d/a")).length);
  }

  @Test
  void entityScopeOfADirectorySendsItsBlockButNotItsEntries() throws Exception {
    Fetched f = fetchFromDirectory(45, "d", DagScope.ENTITY);

    assertEquals(1, f.summary().blocks());
    assertTrue(f.summary().complete(), "entries are outside the entity: " + f.summary().missing());
    assertFalse(f.fetcher().store().has(f.tree().get("d/a")));
  }

  @Test
  void allScopeSendsTheWholeTree() throws Exception {
    Fetched f = fetchFromDirectory(47, "d", DagScope.ALL);

    assertEquals(9, f.summary().blocks());
    assertEquals(9, f.fetcher().store().size());
  }

  private static Cid put(Node n, String name, Cid... links) {
    List<IpldNode> l = new ArrayList<>();
    for (Cid c : links) {
      l.add(new IpldLink(c));
    }
    Block b =
        Block.create(
            Multicodec.DAG_CBOR,
            DagCbor.encode(
                IpldMap.builder().put("name", name).put("links", IpldList.of(l)).build()));
    n.store().put(b);
    return b.cid();
  }

  /**
   * New head R links to A and to B; the receiver's head S links to B and C; B links to D. From R,
   * not from S: R and A (B and D are below S too).
   */
  @Test
  void reachableStopModeSendsExactlyWhatIsReachableFromTheRootsButNotFromTheStops() {
    Node seeder = peers.node(49);
    Node fetcher = peers.node(50);
    Cid d = put(seeder, "D");
    Cid b = put(seeder, "B", d);
    Cid c = put(seeder, "C");
    Cid s = put(seeder, "S", b, c);
    Cid a = put(seeder, "A");
    Cid r = put(seeder, "R", a, b);
    for (Cid held : List.of(d, b, c, s)) {
      fetcher.store().put(seeder.store().get(held).orElseThrow());
    }
    connect(fetcher, seeder);
    DagRequest delta = fetcher.bitswap().dag().requestFor(List.of(r), List.of(s));

    DagSummary exact = fetch(fetcher, seeder, delta.withStopMode(StopMode.REACHABLE));

    assertEquals(2, exact.blocks());
    assertTrue(exact.complete(), "held blocks reported missing: " + exact.missing());
    assertTrue(fetcher.store().has(r) && fetcher.store().has(a));

    // Pruning only at S walks into B again through R: R, A, B, D.
    DagSummary pruned = fetch(fetcher, seeder, delta);
    assertEquals(4, pruned.blocks());
  }

  @Test
  void aRequestWithAnUnknownScopeIsRefusedWithTheChoices() {
    Cid root = Block.create(Multicodec.RAW, new byte[] {1}).cid();
    byte[] wire =
        DagCbor.encode(
            IpldMap.builder()
                .put("credit", (long) DagOptions.MIN_CREDIT)
                .put("depth", 5L)
                .put("maxBlocks", 10L)
                .put("roots", IpldList.of(List.of(new IpldLink(root))))
                .put("scope", "subtree")
                .put("stop", IpldList.of(List.of()))
                .build());

    DagException e =
        assertThrows(DagException.class, () -> DagRequest.decode(wire, DagOptions.defaults()));
    assertTrue(e.getMessage().contains("block, entity or all"), e.getMessage());
  }

  @Test
  void scopeAndStopModeSurviveTheWire() {
    Cid root = Block.create(Multicodec.RAW, new byte[] {2}).cid();
    DagRequest r =
        new DagRequest(
            List.of(root),
            List.of(root),
            DagRequest.UNLIMITED,
            10,
            DagOptions.MIN_CREDIT,
            DagScope.ENTITY,
            StopMode.REACHABLE);

    assertEquals(r, DagRequest.decode(r.encode(), DagOptions.defaults()));
  }
}
