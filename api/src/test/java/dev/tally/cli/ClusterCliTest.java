package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Cid;
import dev.tally.storage.pin.Pin;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally cluster} against one running daemon: a cluster of one, end to end. */
class ClusterCliTest {
  @TempDir Path temp;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private Cli start() {
    Path dir = temp.resolve("repo");
    Repo repo = Repo.init(dir, RepoConfig.testProfile());
    daemon = Daemon.start(repo, "test", HttpLimits.defaults());
    return new Cli(dir);
  }

  private List<Pin> repoPins() {
    return daemon.repo().pins().ls(Optional.of(PinType.RECURSIVE));
  }

  private static void waitFor(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within 20 s");
      Thread.sleep(50);
    }
  }

  @Test
  void aClusterOfOnePinsListsReportsAndUnpins() throws Exception {
    Cli cli = start();
    String self = daemon.repo().peerId().toString();
    Cli.Result none = cli.run("cluster", "peers");
    assertEquals(1, none.code());
    assertTrue(none.stderr().contains("this node is in no cluster"), none.stderr());

    Cli.Result created =
        cli.run(
            "cluster", "create", "demo", "--heartbeat-interval", "200ms", "--down-after", "10s");
    assertEquals(0, created.code(), created.stderr());
    String id = created.stdout().strip();
    assertTrue(id.startsWith("bafy"), id);
    Cli.Result again = cli.run("cluster", "create", "other");
    assertEquals(1, again.code());
    assertTrue(again.stderr().contains("already a member of cluster " + id), again.stderr());

    Cli.Result added =
        cli.runWithInput(
            "cluster data".getBytes(StandardCharsets.UTF_8), "add", "-Q", "--pin=false");
    assertEquals(0, added.code(), added.stderr());
    String cid = added.stdout().strip();

    Cli.Result pinned =
        cli.run(
            "cluster",
            "pin",
            "add",
            cid,
            "--replication-min",
            "1",
            "--replication-max",
            "2",
            "--name",
            "report");
    assertEquals(0, pinned.code(), pinned.stderr());
    assertEquals("pinned " + cid + " on " + self, pinned.stdout().strip());
    waitFor(
        "status pinned",
        () -> cli.run("cluster", "status", cid).stdout().strip().equals(self + " pinned"));
    assertEquals(
        List.of(new Pin(Cid.parse(cid), PinType.RECURSIVE, "tally-cluster " + id + ":report")),
        repoPins(),
        "the cluster pinned it in the repo, under a name of its own");
    assertEquals(List.of(cid + " 1..2 report"), cli.run("cluster", "pin", "ls").lines());
    String peers = cli.run("cluster", "peers").stdout().strip();
    assertTrue(peers.startsWith(self + " live 1 pins "), peers);
    assertTrue(peers.endsWith("bytes free (self)"), peers);
    assertEquals(self + " pinned", cli.run("cluster", "recover", cid).stdout().strip());
    // The creator is the only signer: its checkpoint is final at once, with the pinset snapshot.
    String checkpoint = cli.run("cluster", "checkpoint").stdout().strip();
    assertTrue(checkpoint.matches("checkpoint bafy\\w+ final count \\d+"), checkpoint);
    String info = cli.run("cluster", "info").stdout();
    assertTrue(info.contains("\n1 pins, 1 members, "), info);
    assertTrue(info.contains("final checkpoint " + checkpoint.split(" ")[1]), info);

    Cli.Result bad = cli.run("cluster", "pin", "add", "not-a-cid");
    assertEquals(1, bad.code());
    assertTrue(bad.stderr().contains("invalid CID"), bad.stderr());
    Cli.Result unknown = cli.run("cluster", "status", "bafkqaaa");
    assertEquals(1, unknown.code());
    assertTrue(unknown.stderr().contains("is not pinned in cluster"), unknown.stderr());

    assertEquals("unpinned " + cid, cli.run("cluster", "pin", "rm", cid).stdout().strip());
    waitFor("the repo pin removed", () -> repoPins().isEmpty());
    assertEquals(List.of(), cli.run("cluster", "pin", "ls").lines());

    assertEquals("left " + id, cli.run("cluster", "leave").stdout().strip());
    assertEquals(1, cli.run("cluster", "peers").code());
  }

  @Test
  void aPinWithMetadataAndAnExpiryIsListedWithThemAndDropsOutWhenItExpires() throws Exception {
    Cli cli = start();
    assertEquals(0, cli.run("cluster", "create", "expiry", "--heartbeat-interval", "200ms").code());
    String cid =
        cli.runWithInput("short-lived".getBytes(StandardCharsets.UTF_8), "add", "-Q", "--pin=false")
            .stdout()
            .strip();

    Cli.Result badDuration = cli.run("cluster", "pin", "add", cid, "--expire-in", "soon");
    assertEquals(1, badDuration.code());
    assertTrue(badDuration.stderr().contains("expected a duration"), badDuration.stderr());
    Cli.Result badMeta = cli.run("cluster", "pin", "add", cid, "--metadata", "novalue");
    assertEquals(1, badMeta.code());
    assertTrue(badMeta.stderr().contains("KEY=VALUE"), badMeta.stderr());
    Cli.Result twice =
        cli.run("cluster", "pin", "add", cid, "--metadata", "a=1", "--metadata", "a=2");
    assertEquals(1, twice.code());
    assertTrue(twice.stderr().contains("given twice"), twice.stderr());
    assertEquals(List.of(), cli.run("cluster", "pin", "ls").lines(), "nothing refused was logged");

    long before = System.currentTimeMillis();
    Cli.Result pinned =
        cli.run(
            "cluster",
            "pin",
            "add",
            cid,
            "--replication-min",
            "1",
            "--name",
            "tmp",
            "--expire-in",
            "3s",
            "--metadata",
            "team=ops",
            "--metadata",
            "ticket=T-1=a");
    assertEquals(0, pinned.code(), pinned.stderr());
    List<String> ls = cli.run("cluster", "pin", "ls").lines();
    assertEquals(1, ls.size(), ls.toString());
    String[] f = ls.get(0).split(" ");
    assertEquals(List.of(cid, "1..3", "tmp"), List.of(f[0], f[1], f[2]), ls.get(0));
    assertTrue(f[3].startsWith("expires="), ls.get(0));
    long expires = java.time.Instant.parse(f[3].substring("expires=".length())).toEpochMilli();
    assertTrue(expires >= before + 3000 && expires <= System.currentTimeMillis() + 3000, ls.get(0));
    assertEquals(List.of("team=ops", "ticket=T-1=a"), List.of(f[4], f[5]));
    waitFor("pinned", () -> !repoPins().isEmpty());

    waitFor(
        "the expired pin gone from pin ls",
        () -> cli.run("cluster", "pin", "ls").lines().isEmpty());
    waitFor("the expired pin unpinned from the repo", () -> repoPins().isEmpty());
    Cli.Result status = cli.run("cluster", "status", cid);
    assertEquals(1, status.code(), "an expired pin is no longer the cluster's");
  }
}
