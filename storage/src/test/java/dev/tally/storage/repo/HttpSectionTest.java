package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
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
}
