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

  @Test
  void aConfiguredUploadBudgetIsSharedByTheServersUploads() {
    HttpLimits limits =
        HttpLimits.of(
            RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":4194304,\"UploadBudget\":33554432}}")
                .http());
    assertEquals(32 << 20, limits.uploadBudget());
    RpcSettings settings = RpcSettings.of(limits);
    assertEquals(32 << 20, settings.uploadBudget().budget());
    // One budget per server: every upload of the API accounts against the same one.
    assertTrue(settings.uploadBudget() == settings.uploadBudget());
  }

  @Test
  void withoutTheKeyTheBudgetIsFourReadAheads() {
    HttpLimits limits =
        HttpLimits.of(RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":16777216}}").http());
    assertEquals(64L << 20, limits.uploadBudget());
    // A small read-ahead still leaves one upload its read-ahead beside 64 windows of 256 KiB.
    HttpLimits small =
        HttpLimits.of(RepoConfig.parse("{\"HTTP\":{\"UploadReadAhead\":1048576}}").http());
    assertEquals((1 << 20) + 64L * (256 << 10), small.uploadBudget());
  }
}
