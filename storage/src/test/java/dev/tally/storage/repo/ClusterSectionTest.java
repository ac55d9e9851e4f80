package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config's Cluster.Audit keys: defaults, values read back, bad values refused by name. */
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
                + "\"MaxServing\":16}}"),
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
}
