package dev.tally.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseRewriteTest {
  @TempDir Path tmp;

  private static DbMap<Long, String> counters(Database db) {
    return db.map(
        "counters",
        () ->
            new MVMap.Builder<Long, String>()
                .keyType(LongDataType.INSTANCE)
                .valueType(StringDataType.INSTANCE));
  }

  /** Rewrites the same 100 keys in 3,000 separate commits: each commit appends a chunk. */
  private static void churn(Database db, DbMap<Long, String> map, int commits) {
    for (int i = 0; i < commits; i++) {
      int round = i;
      db.write(
          "churn",
          false,
          () -> {
            map.put((long) (round % 100), "value " + round);
            return null;
          });
    }
  }

  @Test
  void aFileOfMostlyDeadCommitsIsRewrittenSmallAndKeepsEveryEntry() throws Exception {
    Path file = tmp.resolve("db.mv.db");
    try (Database db = Database.open(file, new Database.RewritePolicy(1 << 20, 4))) {
      DbMap<Long, String> map = counters(db);
      churn(db, map, 3_000);
      assertTrue(db.rewrites() > 0, "a file of 3,000 dead commits was never rewritten");
      assertTrue(
          Files.size(file) < 2 << 20,
          "after rewrites the file is still " + Files.size(file) + " bytes for 100 entries");
      for (long k = 0; k < 100; k++) {
        assertEquals("value " + (2_900 + k), map.get(k));
      }
    }
    try (Database db = Database.open(file)) {
      DbMap<Long, String> map = counters(db);
      assertEquals(100, map.size());
      assertEquals("value 2999", map.get(99L));
    }
  }

  @Test
  void withoutRewritesTheSameChurnGrowsTheFile() throws Exception {
    // The control for the test above: the policy, not the churn, keeps the file small.
    Path file = tmp.resolve("db.mv.db");
    try (Database db = Database.open(file, new Database.RewritePolicy(Long.MAX_VALUE, 4))) {
      churn(db, counters(db), 3_000);
      assertEquals(0, db.rewrites());
    }
    assertTrue(Files.size(file) > 4 << 20, "3,000 commits took only " + Files.size(file));
  }

  @Test
  void anExplicitRewriteKeepsDataAndReadersMidwayKeepTheirSnapshot() throws Exception {
    Path file = tmp.resolve("db.mv.db");
    try (Database db = Database.open(file)) {
      DbMap<Long, String> map = counters(db);
      db.write(
          "fill",
          () -> {
            for (long k = 0; k < 10_000; k++) {
              map.put(k, "v" + k);
            }
            return null;
          });
      Iterator<Long> midway = map.keyIterator(null);
      assertEquals(0L, midway.next());
      assertTrue(db.rewrite());
      db.write("after", () -> map.put(10_000L, "new"));
      List<Long> rest = new ArrayList<>();
      midway.forEachRemaining(rest::add);
      assertEquals(9_999, rest.size(), "the iterator opened before the rewrite lost entries");
      assertEquals("new", map.get(10_000L));
      assertEquals("v42", map.get(42L));
    }
    try (Database db = Database.open(file)) {
      assertEquals(10_001, counters(db).size());
    }
  }

  @Test
  void aMapOpenedOutsideTheRegistryBlocksRewritesSoItIsNeverDropped() throws Exception {
    Path file = tmp.resolve("db.mv.db");
    try (Database db = Database.open(file)) {
      counters(db);
      MVMap<String, String> stray = db.mvstore().openMap("stray");
      db.write("stray", () -> stray.put("k", "v"));
      assertFalse(db.rewrite());
    }
    try (Database db = Database.open(file)) {
      MVMap<String, String> stray = db.mvstore().openMap("stray");
      assertEquals("v", stray.get("k"));
    }
  }

  @Test
  void aCopyLeftByARewriteKilledBeforeItsRenameIsDiscardedOnOpen() throws Exception {
    Path file = tmp.resolve("db.mv.db");
    try (Database db = Database.open(file)) {
      DbMap<Long, String> map = counters(db);
      db.write("one", () -> map.put(1L, "one"));
    }
    Path copy = tmp.resolve("db.mv.db" + Database.REWRITE_SUFFIX);
    Files.write(copy, new byte[] {1, 2, 3});
    try (Database db = Database.open(file)) {
      assertEquals("one", counters(db).get(1L));
    }
    assertFalse(Files.exists(copy));
  }
}
