package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.log.sync.SyncOptions;
import dev.tally.storage.repo.Repo;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally config Log.Sync.*} sets the replication limits, refuses bad values with the key
 * named and leaves the file as it was, and the daemon replicates with what the file says.
 */
class LogSyncConfigTest {
  @TempDir Path tmp;

  private static String ok(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    return r.stdout();
  }

  @Test
  void theDaemonReplicatesWithTheLimitsSetByTallyConfig() {
    Cli cli = new Cli(tmp.resolve("repo"));
    ok(cli.run("init"));
    for (String key : java.util.List.of("Addresses.API", "Addresses.Gateway")) {
      ok(cli.run("config", key, "/ip4/127.0.0.1/tcp/0"));
    }
    ok(cli.run("config", "Addresses.Swarm", "--json", "[\"/ip4/127.0.0.1/tcp/0\"]"));
    ok(cli.run("config", "Log.Sync.MaxBatchBytes", "--json", "262144"));
    ok(cli.run("config", "Log.Sync.MaxServingPerPeer", "1"));
    ok(cli.run("config", "Log.Sync.AntiEntropy", "3s"));
    assertEquals("262144\n", ok(cli.run("config", "Log.Sync.MaxBatchBytes")));
    assertEquals("3s\n", ok(cli.run("config", "Log.Sync.AntiEntropy")));

    Cli.Result bad = cli.run("config", "Log.Sync.MaxBatchBytes", "--json", "0");
    assertEquals(1, bad.code());
    assertTrue(bad.stderr().contains("Log.Sync.MaxBatchBytes must be between 1"), bad.stderr());
    bad = cli.run("config", "Log.Sync.IdleTimout", "30s");
    assertEquals(1, bad.code());
    assertTrue(bad.stderr().contains("unknown key 'Log.Sync.IdleTimout'"), bad.stderr());
    assertEquals("262144\n", ok(cli.run("config", "Log.Sync.MaxBatchBytes")));

    Daemon daemon = Daemon.start(Repo.open(tmp.resolve("repo")), "test", HttpLimits.defaults());
    try {
      SyncOptions applied = daemon.logs().sync().options();
      assertEquals(262144, applied.maxBatchBytes());
      assertEquals(1, applied.maxServingPerPeer());
      assertEquals(Duration.ofSeconds(3), applied.antiEntropy());
      assertEquals(SyncOptions.defaults().maxMessageBytes(), applied.maxMessageBytes());
      // Through the running daemon, as Kubo's 'ipfs config' does.
      assertEquals("262144\n", ok(cli.run("config", "Log.Sync.MaxBatchBytes")));
    } finally {
      daemon.stop();
    }
  }
}
