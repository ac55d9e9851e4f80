package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.log.sync.SyncOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code Log.Sync.*}: read, written, set by key and refused with the key named. */
class LogSectionTest {
  private static RepoException refused(String key, Object value) {
    return assertThrows(
        RepoException.class, () -> ConfigKeys.set(RepoConfig.defaults(), key, value));
  }

  @Test
  void aConfigWithoutALogSectionReplicatesWithTheDocumentedDefaults() {
    SyncOptions sync = RepoConfig.parse("{}").log().sync();
    assertEquals(1 << 20, sync.maxBatchBytes());
    assertEquals(4 << 20, sync.maxMessageBytes());
    assertEquals(Duration.ofMillis(50), sync.announceDebounce());
    assertEquals(Duration.ofSeconds(10), sync.antiEntropy());
    assertEquals(Duration.ofSeconds(30), sync.idleTimeout());
    assertEquals(Duration.ofMinutes(5), sync.penalty());
    assertEquals(8, sync.maxServing());
    assertEquals(2, sync.maxServingPerPeer());
    assertEquals(64 << 20, sync.maxCheckpointBytes());
  }

  @Test
  void theWrittenConfigListsEveryKeyAndReadsBackTheSame() {
    JsonObject sync =
        new JsonObject(RepoConfig.defaults().toJson()).getJsonObject("Log").getJsonObject("Sync");
    assertEquals(1048576, sync.getInteger("MaxBatchBytes"));
    assertEquals("50ms", sync.getString("AnnounceDebounce"));
    assertEquals("10s", sync.getString("AntiEntropy"));
    assertEquals("5m", sync.getString("Penalty"));
    assertEquals(64 << 20, sync.getInteger("MaxCheckpointBytes"));
    assertEquals(15, sync.size(), sync.encode());
    RepoConfig set =
        ConfigKeys.set(
            ConfigKeys.set(RepoConfig.defaults(), "Log.Sync.AntiEntropy", "90s"),
            "Log.Sync.MaxDeltaEntries",
            5000);
    assertEquals(set, RepoConfig.parse(set.toJson()));
    assertEquals("90s", ConfigKeys.get(set, "Log.Sync.AntiEntropy"));
  }

  @Test
  void valuesSetByKeyReachTheSyncOptions() {
    RepoConfig c = RepoConfig.defaults();
    c = ConfigKeys.set(c, "Log.Sync.MaxBatchBytes", 262144);
    // As 'tally config KEY VALUE' stores it without --json: a string of digits.
    c = ConfigKeys.set(c, "Log.Sync.MaxDeltaEntries", "5000");
    c = ConfigKeys.set(c, "Log.Sync.AntiEntropy", "2s");
    c = ConfigKeys.set(c, "Log.Sync.AnnounceDebounce", "0ms");
    c = ConfigKeys.set(c, "Log.Sync.IdleTimeout", "1h");
    c = ConfigKeys.set(c, "Log.Sync.MaxServingPerPeer", 1);
    SyncOptions sync = c.log().sync();
    assertEquals(262144, sync.maxBatchBytes());
    assertEquals(5000, sync.maxDeltaEntries());
    assertEquals(Duration.ofSeconds(2), sync.antiEntropy());
    assertEquals(Duration.ZERO, sync.announceDebounce());
    assertEquals(Duration.ofHours(1), sync.idleTimeout());
    assertEquals(1, sync.maxServingPerPeer());
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheKeyAndTheRangeNamed() {
    RepoException e = refused("Log.Sync.MaxBatchBytes", 0);
    assertTrue(
        e.getMessage().startsWith("config: Log.Sync.MaxBatchBytes must be between 1"),
        e.getMessage());
    e = refused("Log.Sync.MaxBatchBytes", 4 << 20);
    assertTrue(e.getMessage().contains("MaxMessageBytes - 65536 (4128768)"), e.getMessage());
    e = refused("Log.Sync.MaxMessageBytes", 1 << 30);
    assertTrue(e.getMessage().contains("Log.Sync.MaxMessageBytes must be between"), e.getMessage());
    e = refused("Log.Sync.MaxServingPerPeer", 9);
    assertTrue(
        e.getMessage().contains("MaxServingPerPeer must be between 1 and MaxServing"),
        e.getMessage());
    e = refused("Log.Sync.AntiEntropy", "0s");
    assertTrue(
        e.getMessage().contains("Log.Sync.AntiEntropy must be at least 1ms, got 0ms"),
        e.getMessage());
    e = refused("Log.Sync.MaxRejectsPerPeer", -1);
    assertTrue(
        e.getMessage().contains("MaxRejectsPerPeer must be at least 0, got -1"), e.getMessage());
    e = refused("Log.Sync.MaxCheckpointBytes", 1000);
    assertTrue(
        e.getMessage().contains("Log.Sync.MaxCheckpointBytes must be between 131072 and"),
        e.getMessage());
  }

  @Test
  void malformedValuesAndUnknownKeysAreRefusedWithTheKeyNamed() {
    RepoException e = refused("Log.Sync.AntiEntropy", "10");
    assertTrue(
        e.getMessage().contains("'Log.Sync.AntiEntropy' must be a duration like"), e.getMessage());
    e = refused("Log.Sync.IdleTimeout", 30);
    assertTrue(
        e.getMessage().contains("'Log.Sync.IdleTimeout' must be a duration"), e.getMessage());
    e = refused("Log.Sync.MaxBatchBytes", "1MiB");
    assertTrue(
        e.getMessage().contains("'Log.Sync.MaxBatchBytes' must be an integer, got \"1MiB\""),
        e.getMessage());
    e = refused("Log.Sync.MaxBatchBytes", 1.5);
    assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
    e = refused("Log.Sync.MaxBatchBytes", 99_999_999_999L);
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    e = refused("Log.Sync.MaxBatch", 5);
    assertTrue(e.getMessage().contains("unknown key 'Log.Sync.MaxBatch'"), e.getMessage());
    assertTrue(e.getMessage().contains("MaxBatchBytes"), "lists the known keys: " + e.getMessage());
    e = refused("Log.Replicate", true);
    assertTrue(e.getMessage().contains("unknown key 'Log.Replicate'"), e.getMessage());
    e = assertThrows(RepoException.class, () -> RepoConfig.parse("{\"Log\":{\"Sync\":[]}}"));
    assertTrue(e.getMessage().contains("'Log.Sync' must be an object"), e.getMessage());
  }
}
