package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.cluster.Cluster;
import dev.tally.cluster.ClusterOptions;
import dev.tally.cluster.HeartbeatRecord;
import dev.tally.cluster.NoPins;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.log.Checkpoint;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config's Cluster keys (Cluster.Audit.*, Cluster.CheckpointEvery): defaults, values read back,
 * bad values refused by name, and a cluster opened with the configured spacing checkpointing at it.
 */
class ClusterSectionTest {
  @TempDir Path dir;

  private static JsonObject audit(String json) {
    return new JsonObject().put("Audit", new JsonObject(json));
  }

  @Test
  void defaultsAreOneRoundOfFourAMinuteTenSecondAnswersAndSixteenStreams() {
    ClusterSection d = ClusterSection.parse(new JsonObject());
    assertEquals(Duration.ofMinutes(1), d.audits().interval());
    assertEquals(4, d.audits().perRound());
    assertEquals(Duration.ofSeconds(10), d.protocol().answerTimeout());
    assertEquals(16, d.protocol().maxServing());
    assertEquals(
        new JsonObject(
            "{\"Audit\":{\"Interval\":\"1m\",\"PerRound\":4,\"AnswerTimeout\":\"10s\","
                + "\"MaxServing\":16},\"CheckpointEvery\":10000}"),
        d.toJson());
  }

  @Test
  void valuesAreReadAndSurviveTheConfigFile() {
    ClusterSection s =
        ClusterSection.parse(
            audit(
                "{\"Interval\":\"90s\",\"PerRound\":\"12\",\"AnswerTimeout\":\"2500ms\","
                    + "\"MaxServing\":3}"));
    assertEquals(Duration.ofSeconds(90), s.audits().interval());
    assertEquals(12, s.audits().perRound());
    assertEquals(Duration.ofMillis(2500), s.protocol().answerTimeout());
    assertEquals(3, s.protocol().maxServing());
    RepoConfig config = RepoConfig.defaults().withCluster(s);
    Repo.init(dir.resolve("r"), config).close();
    try (Repo reopened = Repo.open(dir.resolve("r"))) {
      assertEquals(s, reopened.config().cluster());
    }
    assertEquals(0, ClusterSection.parse(audit("{\"PerRound\":0}")).audits().perRound());
    // As 'tally config Cluster.Audit.Interval 30s' sets it.
    RepoConfig set = ConfigKeys.set(RepoConfig.defaults(), "Cluster.Audit.Interval", "30s");
    assertEquals(Duration.ofSeconds(30), set.cluster().audits().interval());
    assertEquals("30s", ConfigKeys.get(set, "Cluster.Audit.Interval"));
    RepoException bad =
        assertThrows(
            RepoException.class,
            () -> ConfigKeys.set(RepoConfig.defaults(), "Cluster.Audit.PerRound", "2000"));
    assertTrue(bad.getMessage().contains("Cluster.Audit.PerRound"), bad.getMessage());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    String[][] cases = {
      {"{\"Interval\":\"0s\"}", "Cluster.Audit.Interval"},
      {"{\"Interval\":\"2d\"}", "Cluster.Audit.Interval"},
      {"{\"Interval\":\"25h\"}", "Cluster.Audit.Interval"},
      {"{\"PerRound\":-1}", "Cluster.Audit.PerRound"},
      {"{\"PerRound\":1025}", "Cluster.Audit.PerRound"},
      {"{\"PerRound\":\"many\"}", "Cluster.Audit.PerRound"},
      {"{\"AnswerTimeout\":\"0ms\"}", "Cluster.Audit.AnswerTimeout"},
      {"{\"AnswerTimeout\":\"11m\"}", "Cluster.Audit.AnswerTimeout"},
      {"{\"MaxServing\":0}", "Cluster.Audit.MaxServing"},
      {"{\"MaxServing\":5000}", "Cluster.Audit.MaxServing"},
      {"{\"Every\":\"1m\"}", "Cluster.Audit.Every"},
    };
    for (String[] c : cases) {
      RepoException e =
          assertThrows(RepoException.class, () -> ClusterSection.parse(audit(c[0])), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
    RepoException top =
        assertThrows(
            RepoException.class,
            () -> ClusterSection.parse(new JsonObject().put("Audits", new JsonObject())));
    assertTrue(top.getMessage().contains("Cluster.Audits"), top.getMessage());
  }

  @Test
  void checkpointSpacingDefaultsToTenThousandEntriesAndIsReadBack() {
    assertEquals(10_000, ClusterSection.parse(new JsonObject()).checkpointEvery());
    assertEquals(10_000, ClusterSection.parse(audit("{\"PerRound\":2}")).checkpointEvery());
    ClusterSection s = ClusterSection.parse(new JsonObject("{\"CheckpointEvery\":500}"));
    assertEquals(500, s.checkpointEvery());
    assertEquals(500, s.applyTo(ClusterOptions.defaults()).checkpointEvery());
    assertEquals(
        s.audits(), s.applyTo(ClusterOptions.defaults()).audits(), "audits carried along too");
    RepoConfig config = RepoConfig.defaults().withCluster(s);
    Repo.init(dir.resolve("r"), config).close();
    try (Repo reopened = Repo.open(dir.resolve("r"))) {
      assertEquals(500, reopened.config().cluster().checkpointEvery());
    }
    // As 'tally config Cluster.CheckpointEvery 2000' sets it (a string without --json).
    RepoConfig set = ConfigKeys.set(RepoConfig.defaults(), "Cluster.CheckpointEvery", "2000");
    assertEquals(2000, set.cluster().checkpointEvery());
    assertEquals(2000L, ((Number) ConfigKeys.get(set, "Cluster.CheckpointEvery")).longValue());
  }

  @Test
  void badCheckpointSpacingsAreRefusedNamingTheKey() {
    for (Object bad : new Object[] {0, -1, -10_000, 99, 100_000_001, 1L << 40, "often", 2.5}) {
      RepoException e =
          assertThrows(
              RepoException.class,
              () -> ClusterSection.parse(new JsonObject().put("CheckpointEvery", bad)),
              String.valueOf(bad));
      assertTrue(
          e.getMessage().contains("'Cluster.CheckpointEvery'"), bad + " -> " + e.getMessage());
    }
    RepoException zero =
        assertThrows(
            RepoException.class,
            () -> ConfigKeys.set(RepoConfig.defaults(), "Cluster.CheckpointEvery", 0));
    assertTrue(zero.getMessage().contains("between 100 and 100000000"), zero.getMessage());
    assertEquals(
        100, ClusterSection.parse(new JsonObject().put("CheckpointEvery", 100)).checkpointEvery());
    assertEquals(
        100_000_000,
        ClusterSection.parse(new JsonObject().put("CheckpointEvery", 100_000_000))
            .checkpointEvery());
  }

  @Test
  void aClusterWithTheConfiguredSpacingProposesACheckpointEveryThatManyEntries() {
    ClusterOptions options =
        ClusterSection.parse(new JsonObject().put("CheckpointEvery", 100))
            .applyTo(ClusterOptions.defaults());
    assertEquals(List.of(100L, 200L, 300L), checkpointCounts(options, 350));
    // The default spacing: no checkpoint within the first 10,000 entries.
    assertEquals(
        List.of(),
        checkpointCounts(ClusterSection.defaults().applyTo(ClusterOptions.defaults()), 350));
  }

  /**
   * The entries each checkpoint covers, after {@code entries} heartbeats appended one at a time
   * with a tick after each (heartbeats, unlike pins, start no tracker work that appends on its
   * own).
   */
  private static List<Long> checkpointCounts(ClusterOptions options, int entries) {
    byte[] seed = new byte[32];
    seed[0] = 29;
    Ed25519PrivateKey creator = Ed25519PrivateKey.fromSeed(seed);
    LogManifest m =
        LogManifest.create(
            "spacing", 1, List.of(creator.publicKey()), 0, List.of(creator.publicKey()), true);
    Log log = Log.create(m, new MemoryBlockstore());
    try (Cluster c = Cluster.open(log, creator, new NoPins(), options, () -> 5_000L, l -> {})) {
      for (int i = 0; i < entries; i++) {
        log.append(new HeartbeatRecord(i, 1L << 30).toNode(), creator);
        c.tick();
      }
      return log.checkpoints().all().stream().map(Checkpoint::count).toList();
    }
  }
}
