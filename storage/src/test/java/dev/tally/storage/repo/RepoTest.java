package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.pin.PinType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoTest {
  @TempDir Path dir;

  @Test
  void theDefaultRepoIsTallyPathThenHomeThenTheAccountsHome() {
    assertEquals(
        Path.of("/srv/node"),
        Repo.defaultPath(java.util.Map.of("TALLY_PATH", "/srv/node", "HOME", "/h"), "/root"));
    assertEquals(Path.of("/h/.tally"), Repo.defaultPath(java.util.Map.of("HOME", "/h"), "/root"));
    assertEquals(
        Path.of("/h/.tally"),
        Repo.defaultPath(java.util.Map.of("TALLY_PATH", " ", "HOME", "/h"), "/root"));
    assertEquals(Path.of("/root/.tally"), Repo.defaultPath(java.util.Map.of(), "/root"));
  }

  @Test
  void aSecondOpenIsRefusedNamingTheHolder() {
    Path path = dir.resolve("repo");
    try (Repo first = Repo.init(path, RepoConfig.defaults())) {
      RepoException e = assertThrows(RepoException.class, () -> Repo.open(path));
      assertEquals(
          "repo " + path + " is in use by process " + ProcessHandle.current().pid(),
          e.getMessage());
    }
    try (Repo again = Repo.open(path)) {
      assertEquals(0, again.blocks().size());
    }
  }

  @Test
  void blocksAndPinsSurviveAReopen() {
    Path path = dir.resolve("repo");
    Block b = Block.create(Multicodec.RAW, "kept".getBytes(StandardCharsets.UTF_8));
    try (Repo r = Repo.init(path, RepoConfig.defaults())) {
      r.blocks().put(b);
      r.pins().add(b.cid(), true, "name");
    }
    try (Repo r = Repo.open(path)) {
      assertEquals(b, r.blocks().get(b.cid()).orElseThrow());
      assertEquals(b.cid(), r.pins().ls(Optional.of(PinType.RECURSIVE)).get(0).cid());
      RepoStat s = r.stat();
      assertEquals(1, s.numObjects());
      assertEquals(10_000_000_000L, s.storageMax());
      assertEquals("tally-repo@1", s.version());
      assertTrue(s.repoSize() > 4);
    }
  }

  @Test
  void collectsAutomaticallyOnlyAboveTheWatermark() {
    Block garbage = Block.create(Multicodec.RAW, new byte[5000]);
    try (Repo roomy = Repo.init(dir.resolve("roomy"), RepoConfig.defaults())) {
      roomy.blocks().put(garbage);
      assertTrue(roomy.collectIfOverWatermark().isEmpty());
      assertTrue(roomy.blocks().has(garbage.cid()));
    }
    RepoConfig tight = RepoConfig.defaults().withDatastore(new RepoConfig.Datastore("2kB", 50));
    try (Repo full = Repo.init(dir.resolve("full"), tight)) {
      full.blocks().put(garbage);
      assertEquals(1, full.collectIfOverWatermark().orElseThrow().removedBlocks());
      assertEquals(0, full.blocks().size());
    }
  }

  @Test
  void readsTheDatastoreKeysInKubosSyntaxAndRejectsUnknownOnes() {
    RepoConfig c =
        RepoConfig.parse("{\"Datastore\":{\"StorageMax\":\"512MiB\",\"StorageGCWatermark\":80}}");
    assertEquals(512L << 20, c.datastore().storageMaxBytes());
    assertEquals(80, c.datastore().storageGcWatermark());
    assertEquals(c, RepoConfig.parse(c.toJson()));
    assertEquals(10_000_000_000L, RepoConfig.defaults().datastore().storageMaxBytes());
    assertEquals(
        "config: unknown key 'Datastore.StorageMaxx'",
        assertThrows(
                RepoException.class,
                () -> RepoConfig.parse("{\"Datastore\":{\"StorageMaxx\":\"1GB\"}}"))
            .getMessage());
    assertThrows(
        RepoException.class,
        () -> RepoConfig.parse("{\"Datastore\":{\"StorageMax\":\"ten gigs\"}}"));
    assertThrows(
        RepoException.class, () -> RepoConfig.parse("{\"Datastore\":{\"StorageGCWatermark\":0}}"));
    assertThrows(RepoException.class, () -> RepoConfig.parse("{\"version\":2}"));
  }
}
