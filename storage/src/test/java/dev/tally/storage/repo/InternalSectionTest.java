package dev.tally.storage.repo;

import static dev.tally.storage.repo.SwarmSectionTest.nested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.exchange.ExchangeOptions;
import dev.tally.exchange.client.ClientOptions;
import dev.tally.exchange.dag.DagOptions;
import dev.tally.exchange.message.MessageLimits;
import dev.tally.exchange.server.ServerOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config's Internal.Bitswap keys: the defaults are the exchange's limits as they were before
 * they could be configured, values are read and written back, Kubo's keys for goroutine pools Tally
 * does not have are refused, and bad values are refused with the key named.
 */
class InternalSectionTest {
  @TempDir Path dir;

  /**
   * Each default as ADR 031, MessageLimits, Kubo's docs, ClientOptions, ExchangeOptions and
   * DagOptions stated it before it could be configured, written by hand.
   */
  private static final JsonObject DEFAULTS =
      new JsonObject(
          """
          {"Bitswap": {"EngineBlockstoreWorkerCount": 8, "MaxBlockstoreReadsPerPeer": 4,
            "MaxOutstandingBytesPerPeer": 1048576, "MaxQueuedWantlistEntriesPerPeer": 1024,
            "TargetMessageSize": 524288, "WantHaveReplaceSize": 1024,
            "MaxMessageSize": 4194304, "MaxBlockSize": 2097152, "MaxCidLength": 256,
            "MaxUploadBytesPerSecond": 0,
            "MaxLiveWantsPerSession": 64, "MaxQueuedWantsPerSession": 100000,
            "WantReaskDelay": "5s", "WantTimeout": "1m",
            "MaxBlocksInFlightPerFetch": 64, "MaxBlocksPerFetch": 10000000},
           "Dag": {"FetchWithPeers": true, "MaxRoots": 1024, "MaxStopCids": 4096,
            "MaxBlocksPerResponse": 10000000, "CreditWindow": 8388608,
            "MaxConcurrentResponses": 16, "IdleTimeout": "30s"}}
          """);

  @Test
  void defaultsAreTheExchangesLimitsAsTheyWere() {
    InternalSection d = InternalSection.parse(new JsonObject());
    assertEquals(DEFAULTS, d.toJson());
    assertEquals(ExchangeOptions.defaults(), d.applyTo(ExchangeOptions.defaults()));
    assertEquals(d, InternalSection.parse(DEFAULTS));
  }

  @Test
  void valuesAreReadAppliedAndSurviveTheConfigFile() {
    InternalSection s =
        InternalSection.parse(
            new JsonObject(
                """
                {"Bitswap": {"EngineBlockstoreWorkerCount": 32, "MaxBlockstoreReadsPerPeer": 2,
                  "MaxOutstandingBytesPerPeer": "262144", "MaxQueuedWantlistEntriesPerPeer": 5,
                  "TargetMessageSize": 16384, "WantHaveReplaceSize": 0,
                  "MaxMessageSize": 1048576, "MaxBlockSize": 524288, "MaxCidLength": 100,
                  "MaxUploadBytesPerSecond": 4194304}}
                """));
    ExchangeOptions applied = s.applyTo(ExchangeOptions.defaults());
    assertEquals(new ServerOptions(5, 32, 2, 16384, 0), applied.server());
    assertEquals(new MessageLimits(1 << 20, 1 << 19, 100), applied.messages());
    assertEquals(262_144, applied.maxOutstandingBytesPerPeer());
    assertEquals(4_194_304, applied.maxUploadBytesPerSecond());
    assertEquals(ExchangeOptions.defaults().client(), applied.client());
    assertEquals(ExchangeOptions.defaults().dag(), applied.dag());

    Repo.init(dir.resolve("r"), RepoConfig.defaults().withInternal(s)).close();
    try (Repo reopened = Repo.open(dir.resolve("r"))) {
      assertEquals(s, reopened.config().internal());
    }
    RepoConfig set =
        ConfigKeys.set(RepoConfig.defaults(), "Internal.Bitswap.EngineBlockstoreWorkerCount", "2");
    assertEquals(2, set.internal().server().workers());
    assertEquals(2, ConfigKeys.get(set, "Internal.Bitswap.EngineBlockstoreWorkerCount"));
  }

  @Test
  void clientFetchAndDagValuesAreReadAndApplied() {
    InternalSection s =
        InternalSection.parse(
            new JsonObject(
                """
                {"Bitswap": {"MaxLiveWantsPerSession": 3, "MaxQueuedWantsPerSession": "0",
                  "WantReaskDelay": "500ms", "WantTimeout": "2m",
                  "MaxBlocksInFlightPerFetch": 8, "MaxBlocksPerFetch": 1000},
                 "Dag": {"FetchWithPeers": "false", "MaxRoots": 2, "MaxStopCids": 0,
                  "MaxBlocksPerResponse": 5, "CreditWindow": 4194304,
                  "MaxConcurrentResponses": 1, "IdleTimeout": "1s"}}
                """));
    ExchangeOptions applied = s.applyTo(ExchangeOptions.defaults());
    assertEquals(
        new ClientOptions(3, 0, Duration.ofMillis(500), Duration.ofMinutes(2), 8192),
        applied.client());
    assertEquals(8, applied.dagParallelism());
    assertEquals(1000, applied.maxDagBlocks());
    assertEquals(
        new DagOptions(false, 2, 0, 5, 4 * 1024 * 1024, 1, Duration.ofSeconds(1)), applied.dag());
    // Untouched keys keep their defaults; the stream timer is not a key.
    assertEquals(ExchangeOptions.defaults().server(), applied.server());
    assertEquals(Duration.ofSeconds(5), applied.idleStreamTimeout());
    assertEquals(s, InternalSection.parse(s.toJson()));

    RepoConfig set = ConfigKeys.set(RepoConfig.defaults(), "Internal.Dag.FetchWithPeers", "false");
    assertEquals(false, set.internal().dag().fetchWithPeers());
    set = ConfigKeys.set(set, "Internal.Bitswap.WantTimeout", "3s");
    assertEquals(Duration.ofSeconds(3), set.internal().client().wantTimeout());
    assertEquals("3s", ConfigKeys.get(set, "Internal.Bitswap.WantTimeout"));
  }

  @Test
  void theDagCreditMustLetTheLargestBlockThrough() {
    // 3 MiB blocks need at least 3 MiB + 1 KiB of credit: the default 8 MiB does; 3 MiB does not.
    InternalSection ok =
        InternalSection.parse(new JsonObject("{\"Bitswap\":{\"MaxBlockSize\":3145728}}"));
    assertEquals(8 * 1024 * 1024, ok.dag().creditWindow());
    RepoException e =
        assertThrows(
            RepoException.class,
            () ->
                InternalSection.parse(
                    new JsonObject(
                        "{\"Bitswap\":{\"MaxBlockSize\":3145728},"
                            + "\"Dag\":{\"CreditWindow\":3145728}}")));
    assertTrue(
        e.getMessage()
            .contains(
                "'Internal.Dag.CreditWindow' must be between 3146752 and 1073741824"
                    + " (at least Internal.Bitswap.MaxBlockSize plus 1 KiB), got 3145728"),
        e.getMessage());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    String[][] cases = {
      {"EngineBlockstoreWorkerCount", "0"},
      {"EngineBlockstoreWorkerCount", "5000"},
      {"MaxBlockstoreReadsPerPeer", "0"},
      {"MaxOutstandingBytesPerPeer", "10"},
      {"MaxQueuedWantlistEntriesPerPeer", "0"},
      {"TargetMessageSize", "100"},
      {"WantHaveReplaceSize", "-1"},
      {"MaxMessageSize", "1024"},
      {"MaxMessageSize", "\"4MB\""},
      {"MaxBlockSize", "0"},
      {"MaxCidLength", "33"},
      {"MaxUploadBytesPerSecond", "-1"},
      {"MaxUploadBytesPerSecond", "1000"},
      {"MaxLiveWantsPerSession", "0"},
      {"MaxLiveWantsPerSession", "65537"},
      {"MaxQueuedWantsPerSession", "-1"},
      {"WantReaskDelay", "\"50ms\""},
      {"WantReaskDelay", "\"2h\""},
      {"WantTimeout", "\"500ms\""},
      {"WantTimeout", "60"},
      {"MaxBlocksInFlightPerFetch", "0"},
      {"MaxBlocksPerFetch", "0"},
    };
    refusedNamingTheKey("Internal.Bitswap.", cases);
    String[][] dag = {
      {"FetchWithPeers", "\"no\""},
      {"FetchWithPeers", "1"},
      {"MaxRoots", "0"},
      {"MaxRoots", "4097"},
      {"MaxStopCids", "-1"},
      {"MaxStopCids", "8193"},
      {"MaxBlocksPerResponse", "0"},
      {"CreditWindow", "1048576"},
      {"CreditWindow", "2147483647"},
      {"MaxConcurrentResponses", "0"},
      {"IdleTimeout", "\"500ms\""},
      {"IdleTimeout", "\"2h\""},
    };
    refusedNamingTheKey("Internal.Dag.", dag);
  }

  /** Each {key, JSON value} under {@code prefix} is refused, and the error names the key. */
  private static void refusedNamingTheKey(String prefix, String[][] cases) {
    for (String[] c : cases) {
      String key = prefix + c[0];
      RepoException e =
          assertThrows(
              RepoException.class, () -> RepoConfig.parse(nested(key, c[1])), key + " = " + c[1]);
      assertTrue(e.getMessage().contains("'" + key + "'"), key + ": " + e.getMessage());
    }
  }

  @Test
  void aMessageMustHoldTheLargestBlockAndAFullBatch() {
    // 1 MiB messages leave 960 KiB for blocks: a 2 MiB block (the default) no longer fits.
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.parse(nested("Internal.Bitswap.MaxMessageSize", "1048576")));
    assertTrue(
        e.getMessage()
            .contains(
                "'Internal.Bitswap.MaxBlockSize' must be between 1024 and 983040"
                    + " (Internal.Bitswap.MaxMessageSize less 64 KiB), got 2097152"),
        e.getMessage());
    e =
        assertThrows(
            RepoException.class,
            () ->
                InternalSection.parse(
                    new JsonObject(
                        "{\"Bitswap\":{\"MaxBlockSize\":4096,\"WantHaveReplaceSize\":8192}}")));
    assertTrue(
        e.getMessage()
            .contains("'Internal.Bitswap.WantHaveReplaceSize' must be between 0 and 4096"),
        e.getMessage());
  }

  @Test
  void kubosKeysForPoolsTallyDoesNotHaveAreUnknown() {
    for (String key : new String[] {"TaskWorkerCount", "EngineTaskWorkerCount"}) {
      RepoException e =
          assertThrows(
              RepoException.class, () -> RepoConfig.parse(nested("Internal.Bitswap." + key, "8")));
      assertTrue(
          e.getMessage().contains("unknown key 'Internal.Bitswap." + key + "'"), e.getMessage());
    }
    RepoException e =
        assertThrows(RepoException.class, () -> RepoConfig.parse(nested("Internal.Other", "1")));
    assertTrue(e.getMessage().contains("unknown key 'Internal.Other'"), e.getMessage());
  }
}
