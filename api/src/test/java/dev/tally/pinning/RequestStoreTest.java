package dev.tally.pinning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestStoreTest {
  @TempDir Path dir;

  @Test
  void importsTheOldJsonFileOnceWithTheDefaultFactors() throws Exception {
    Files.writeString(
        dir.resolve(RequestStore.OLD_FILE),
        "[{\"requestid\":\"r1\",\"user\":\"token-ab\",\"cid\":\"bafkqaaa\",\"name\":\"n\","
            + "\"origins\":[],\"meta\":{\"k\":\"v\"},\"status\":\"pinned\","
            + "\"created\":\"2026-11-01T10:00:00Z\",\"ownsLocalPin\":true}]");
    try (RequestStore store = RequestStore.open(dir, 2, 3)) {
      List<PinRequest> all = store.all(2, 3);
      assertEquals(1, all.size());
      PinRequest r = all.get(0);
      assertEquals("r1", r.requestId());
      assertEquals("token-ab", r.user());
      assertEquals("bafkqaaa", r.cid());
      assertEquals(Map.of("k", "v"), r.pin().meta());
      assertEquals(PinRequest.Status.PINNED, r.status());
      assertEquals(Instant.parse("2026-11-01T10:00:00Z"), r.created());
      assertEquals(2, r.min());
      assertEquals(3, r.max());
    }
    assertFalse(Files.exists(dir.resolve(RequestStore.OLD_FILE)));
    assertTrue(Files.exists(dir.resolve(RequestStore.OLD_FILE + ".imported")));
    try (RequestStore again = RequestStore.open(dir, 2, 3)) {
      assertEquals(1, again.all(2, 3).size(), "kept in the store, not imported twice");
    }
  }

  @Test
  void keepsChangesAcrossReopening() {
    PinRequest r =
        new PinRequest(
            "r2",
            "alice",
            new Pin("bafkqaaa", "", List.of(), Map.of()),
            PinRequest.Status.QUEUED,
            Instant.parse("2026-11-02T10:00:00Z"),
            "",
            1,
            4,
            List.of("bafkqaaa"));
    try (RequestStore store = RequestStore.open(dir, 2, 3)) {
      store.putAll(List.of(r));
    }
    try (RequestStore store = RequestStore.open(dir, 2, 3)) {
      assertEquals(List.of(r), store.all(2, 3));
      store.remove("r2");
    }
    try (RequestStore store = RequestStore.open(dir, 2, 3)) {
      assertTrue(store.all(2, 3).isEmpty());
    }
  }
}
