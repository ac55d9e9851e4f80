package dev.tally.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.rpc.RpcSettings;
import dev.tally.storage.repo.RepoConfig;
import org.junit.jupiter.api.Test;

class HttpLimitsTest {
  @Test
  void aConfiguredUploadReadAheadReachesTheUploadReader() {
    HttpLimits limits =
        HttpLimits.of(RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":131072}}").http());
    assertEquals(131072, limits.uploadReadAhead());
    assertEquals(131072, RpcSettings.of(limits).uploadHighWater());
  }

  @Test
  void withoutTheKeyTheReadAheadIsSizedFromTheHeapWithinItsBounds() {
    HttpLimits limits = HttpLimits.of(RepoConfig.parse("{}").http());
    long heap = Runtime.getRuntime().maxMemory();
    long expected = Math.max(1 << 20, Math.min(16 << 20, heap / 256));
    assertEquals(expected, limits.uploadReadAhead());
    assertTrue(limits.uploadReadAhead() >= 1 << 20 && limits.uploadReadAhead() <= 16 << 20);
    assertEquals(limits.uploadReadAhead(), RpcSettings.defaults().uploadHighWater());
  }
}
