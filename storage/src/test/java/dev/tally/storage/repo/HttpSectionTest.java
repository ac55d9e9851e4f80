package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HttpSectionTest {
  @Test
  void uploadReadAheadIsReadKeptThroughJsonAndAbsentUnlessSet() {
    RepoConfig set = RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":8388608}}");
    assertEquals(OptionalInt.of(8 << 20), set.http().uploadReadAhead());
    assertEquals(
        8 << 20,
        new io.vertx.core.json.JsonObject(set.toJson())
            .getJsonObject("HTTP")
            .getInteger("UploadReadAhead"));
    assertEquals(set, RepoConfig.parse(set.toJson()));

    RepoConfig unset = RepoConfig.parse("{}");
    assertEquals(OptionalInt.empty(), unset.http().uploadReadAhead());
    // Not written out: a default sized from the heap must follow the heap of the next start.
    assertFalse(
        new io.vertx.core.json.JsonObject(unset.toJson())
            .getJsonObject("HTTP")
            .containsKey("UploadReadAhead"));
  }

  @Test
  void uploadReadAheadOutsideItsBoundsIsRefusedNamingTheKey() {
    for (String bad : new String[] {"1024", "2147483647", "\"16MB\"", "-1"}) {
      RepoException e =
          assertThrows(
              RepoException.class,
              () -> RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":" + bad + "}}"),
              bad);
      assertTrue(e.getMessage().contains("HTTP.UploadReadAhead"), e.getMessage());
    }
    assertEquals(
        OptionalInt.of(HttpSection.MIN_UPLOAD_READ_AHEAD),
        RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":65536}}").http().uploadReadAhead());
  }

  /**
   * {@code tally config HTTP.UploadBudget 134217728} without --json stores text, as Kubo's does.
   */
  @Test
  void numbersSetAsTextCountAsTheirNumbersAndOtherTextIsNamedInTheError() {
    RepoConfig set =
        RepoConfig.parse(
            "{\"HTTP\":{\"UploadBudget\":\"134217728\",\"MaxConnections\":\" 512 \"}}");
    assertEquals(OptionalLong.of(128L << 20), set.http().uploadBudget());
    assertEquals(512, set.http().maxConnections());
    RepoException e =
        assertThrows(
            RepoException.class,
            () -> RepoConfig.parse("{\"HTTP\":{\"MaxConnections\":\"lots\"}}"));
    assertTrue(e.getMessage().contains("HTTP.MaxConnections"), e.getMessage());
    assertTrue(e.getMessage().contains("the text \"lots\""), e.getMessage());
  }

  @Test
  void uploadBudgetIsReadKeptThroughJsonAndAbsentUnlessSet() {
    RepoConfig set = RepoConfig.parse("{\"HTTP\":{\"UploadBudget\":8589934592}}");
    assertEquals(OptionalLong.of(8L << 30), set.http().uploadBudget());
    assertEquals(set, RepoConfig.parse(set.toJson()));
    RepoConfig unset = RepoConfig.parse("{}");
    assertEquals(OptionalLong.empty(), unset.http().uploadBudget());
    assertFalse(
        new io.vertx.core.json.JsonObject(unset.toJson())
            .getJsonObject("HTTP")
            .containsKey("UploadBudget"));
  }

  @Test
  void uploadBudgetMustCoverAWindowPerConcurrentRequestAndIsRefusedNamingTheKey() {
    // 64 concurrent requests (the default) x 256 KiB = 16 MiB at least; 1 TiB at most.
    for (String bad : new String[] {"16777215", "1099511627777", "\"64MB\"", "-1", "1.5"}) {
      RepoException e =
          assertThrows(
              RepoException.class,
              () -> RepoConfig.parse("{\"HTTP\":{\"UploadBudget\":" + bad + "}}"),
              bad);
      assertTrue(e.getMessage().contains("HTTP.UploadBudget"), e.getMessage());
    }
    assertEquals(
        OptionalLong.of(16 << 20),
        RepoConfig.parse("{\"HTTP\":{\"UploadBudget\":16777216}}").http().uploadBudget());
    // Fewer concurrent requests need fewer windows.
    assertEquals(
        OptionalLong.of(1 << 20),
        RepoConfig.parse("{\"HTTP\":{\"MaxConcurrentRequests\":4,\"UploadBudget\":1048576}}")
            .http()
            .uploadBudget());
    RepoException e =
        assertThrows(
            RepoException.class,
            () ->
                RepoConfig.parse(
                    "{\"HTTP\":{\"MaxConcurrentRequests\":8,\"UploadBudget\":1048576}}"));
    assertTrue(e.getMessage().contains("HTTP.MaxConcurrentRequests"), e.getMessage());
  }
}
