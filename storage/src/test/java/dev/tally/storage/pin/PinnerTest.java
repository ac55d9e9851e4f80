package dev.tally.storage.pin;

import static dev.tally.storage.pin.Dags.leaf;
import static dev.tally.storage.pin.Dags.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.storage.dag.MissingBlockException;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnerTest {
  @TempDir Path dir;
  Repo repo;
  Pinner pins;
  Block c = leaf("c");
  Block b = leaf("b");
  Block a = node("a", c);
  Block root = node("root", a, b);

  @BeforeEach
  void open() {
    repo = Repo.init(dir.resolve("repo"), RepoConfig.defaults());
    pins = repo.pins();
    repo.blocks().putAll(List.of(c, b, a, root));
  }

  @AfterEach
  void close() {
    repo.close();
  }

  private static Set<String> lines(List<Pin> pins) {
    return pins.stream().map(p -> p.cid() + " " + p.type()).collect(Collectors.toSet());
  }

  @Test
  void aRecursivePinListsItsDagAsIndirect() {
    pins.add(root.cid(), true, "");
    assertEquals(
        Set.of(
            root.cid() + " recursive",
            a.cid() + " indirect",
            b.cid() + " indirect",
            c.cid() + " indirect"),
        lines(pins.ls(Optional.empty())));
    assertEquals(Set.of(root.cid() + " recursive"), lines(pins.ls(Optional.of(PinType.RECURSIVE))));
    assertEquals(3, pins.ls(Optional.of(PinType.INDIRECT)).size());
    assertTrue(pins.ls(Optional.of(PinType.DIRECT)).isEmpty());
  }

  @Test
  void aRecursivePinOfAnIncompleteDagFailsAndPinsNothing() {
    Block orphan = node("orphan", leaf("never stored"));
    repo.blocks().put(orphan);
    MissingBlockException e =
        assertThrows(MissingBlockException.class, () -> pins.add(orphan.cid(), true, ""));
    assertTrue(e.getMessage().contains(leaf("never stored").cid().toString()));
    assertTrue(pins.ls(Optional.empty()).isEmpty());
  }

  @Test
  void refusesWhatKuboRefuses() {
    pins.add(root.cid(), true, "backup");
    assertEquals(
        root.cid() + " already pinned recursively",
        assertThrows(PinException.class, () -> pins.add(root.cid(), false, "")).getMessage());
    assertEquals(
        root.cid() + " is pinned recursively",
        assertThrows(PinException.class, () -> pins.rm(root.cid(), false)).getMessage());
    assertEquals(
        "not pinned or pinned indirectly",
        assertThrows(PinException.class, () -> pins.rm(a.cid(), true)).getMessage());
    assertEquals("backup", pins.ls(Optional.of(PinType.RECURSIVE)).get(0).name());
    pins.rm(root.cid(), true);
    assertTrue(pins.ls(Optional.empty()).isEmpty());
  }

  @Test
  void aRecursivePinReplacesADirectOne() {
    pins.add(a.cid(), false, "");
    assertEquals(Set.of(a.cid() + " direct"), lines(pins.ls(Optional.empty())));
    pins.add(a.cid(), true, "");
    assertEquals(
        Set.of(a.cid() + " recursive", c.cid() + " indirect"), lines(pins.ls(Optional.empty())));
  }

  @Test
  void statusNamesTheRootAnIndirectBlockHangsUnder() {
    Block d = leaf("d");
    repo.blocks().put(d);
    pins.add(root.cid(), true, "");
    pins.add(d.cid(), false, "");
    Block loose = leaf("loose");
    Map<Cid, PinStatus> s = pins.status(List.of(root.cid(), c.cid(), d.cid(), loose.cid()));
    assertEquals("pinned: recursive", s.get(root.cid()).toString());
    assertEquals("pinned via " + root.cid(), s.get(c.cid()).toString());
    assertEquals("pinned: direct", s.get(d.cid()).toString());
    assertEquals("not pinned", s.get(loose.cid()).toString());
    // Matched by multihash: the CIDv0 form of a pinned dag-pb root is the same block.
    assertTrue(
        pins.status(List.of(Cid.v0(root.cid().multihash()))).values().iterator().next().pinned());
  }

  @Test
  void updateMovesTheRecursivePinAndKeepsTheName() {
    pins.add(root.cid(), true, "site");
    Block e = leaf("e");
    Block next = node("root2", a, e);
    repo.blocks().putAll(List.of(e, next));
    pins.update(root.cid(), next.cid(), true);
    List<Pin> recursive = pins.ls(Optional.of(PinType.RECURSIVE));
    assertEquals(1, recursive.size());
    assertEquals(next.cid(), recursive.get(0).cid());
    assertEquals("site", recursive.get(0).name());
    assertEquals(
        Set.of(a.cid() + " indirect", c.cid() + " indirect", e.cid() + " indirect"),
        lines(pins.ls(Optional.of(PinType.INDIRECT))));
    assertThrows(PinException.class, () -> pins.update(root.cid(), next.cid(), true));
  }

  @Test
  void verifyNamesTheMissingBlockUnderItsPin() {
    pins.add(root.cid(), true, "");
    List<PinVerification> all = new ArrayList<>();
    assertTrue(pins.verify(true, all::add));
    assertEquals(List.of(new PinVerification(root.cid(), true, List.of())), all);
    repo.blocks().delete(c.cid());
    List<PinVerification> bad = new ArrayList<>();
    assertFalse(pins.verify(false, bad::add));
    assertEquals(1, bad.size());
    assertEquals(root.cid(), bad.get(0).cid());
    assertEquals(c.cid(), bad.get(0).badBlocks().get(0).cid());
  }
}
