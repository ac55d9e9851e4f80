package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tally add -r} and {@code tally add --profile} with a daemon holding the repo go through
 * its API as one multipart directory upload (as Kubo's CLI sends it) and print what Kubo and Helia
 * print for the same tree.
 */
class AddThroughDaemonTest {
  // Roots of the tree below as ipfs-unixfs-importer 17.1.1 builds them (integration-tests'
  // import.mjs): profile unixfs-v0-2015 is `ipfs add -r`'s default, unixfs-v1-2025 Helia's.
  private static final String KUBO_ROOT = "QmfCZSx8HRLBxSEsePUCjoPbYgizWez9D5eUrPjPNWVXZw";
  private static final String KUBO_SUB = "QmU5ipHuFKCqyctgJFfiyHJ66horszNcMuXgsWjUBVQqGR";
  private static final String KUBO_INDEX = "QmQpt41oGvyQv5JJsYVvob95g7UYhAgKWvJZW8krDCwD4E";
  private static final String KUBO_WRAPPED = "QmanNprtzH6joKZsbXJcfhqKyALWG4rkgNEtw6u7rn5Rxs";
  private static final String HELIA_ROOT =
      "bafybeifg5qnudxmq5zre7pbpwspsapopxu7vctab2vq6s5mwtsk6wquq5i";

  @TempDir Path tmp;

  private Daemon daemon;
  private Path site;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  @BeforeEach
  void repoAndTree() throws Exception {
    ok(cli().run("init"));
    for (String key : List.of("Addresses.API", "Addresses.Gateway")) {
      ok(cli().run("config", key, "/ip4/127.0.0.1/tcp/0"));
    }
    ok(cli().run("config", "Addresses.Swarm", "--json", "[\"/ip4/127.0.0.1/tcp/0\"]"));
    site = Files.createDirectories(tmp.resolve("tree/site"));
    Files.createDirectories(site.resolve("sub"));
    Files.writeString(site.resolve("index.html"), "<h1>tally</h1>\n");
    Files.writeString(site.resolve("sub/a.txt"), "a".repeat(300_000));
    Files.writeString(site.resolve("sub/b.txt"), "beta\n");
    // Left out unless -H, as Kubo's CLI leaves hidden files out.
    Files.writeString(site.resolve(".hidden"), "not uploaded\n");
  }

  private Cli cli() {
    return new Cli(tmp.resolve("repo"));
  }

  private static String ok(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    return r.stdout();
  }

  private void startDaemon() {
    daemon = Daemon.start(Repo.open(tmp.resolve("repo")), "test", HttpLimits.defaults());
  }

  @Test
  void addRecursiveThroughTheDaemonPrintsKubosCidsAndPinsTheRoot() {
    startDaemon();
    List<String> lines = ok(cli().run("add", "-r", site.toString())).lines().toList();
    assertEquals(
        List.of(
            "added " + KUBO_INDEX + " site/index.html",
            "added " + KUBO_SUB + " site/sub",
            "added " + KUBO_ROOT + " site"),
        List.of(lines.get(0), lines.get(3), lines.get(4)),
        lines.toString());
    assertEquals(5, lines.size(), lines.toString());
    assertEquals(KUBO_ROOT + " recursive\n", ok(cli().run("pin", "ls", KUBO_ROOT)));
    assertEquals(
        KUBO_WRAPPED + "\n",
        ok(cli().run("add", "-r", "-w", "-Q", "--pin=false", site.toString())));
    // The daemon holds the repo: had the command run offline it would have met the repo lock.
    assertEquals(
        "beta\n", ok(cli().run("cat", "/ipfs/" + KUBO_ROOT + "/sub/b.txt", "--api", api())));
  }

  @Test
  void addWithProfileThroughTheDaemonPrintsHeliasCid() {
    startDaemon();
    assertEquals(
        HELIA_ROOT + "\n",
        ok(cli().run("add", "-r", "-Q", "--profile", "unixfs-v1-2025", site.toString())));
    Cli.Result unknown = cli().run("add", "-r", "--profile", "unixfs-v9", site.toString());
    assertEquals(1, unknown.code());
    assertTrue(unknown.stderr().contains("unknown profile \"unixfs-v9\""), unknown.stderr());
  }

  @Test
  void hiddenFilesAndSymlinksThroughTheDaemonMatchTheOfflineAdd() throws Exception {
    Files.createSymbolicLink(site.resolve("link"), Path.of("index.html"));
    String offline = ok(cli().run("add", "-r", "-H", "--pin=false", site.toString()));
    assertTrue(offline.contains(" site/.hidden\n") && offline.contains(" site/link\n"), offline);
    startDaemon();
    assertEquals(offline, ok(cli().run("add", "-r", "-H", "--pin=false", site.toString())));
  }

  /**
   * Kubo's sharness tree of t0047-add-mode-mtime.sh: {@code ipfs add -r --preserve-mode
   * --preserve-mtime} gives root QmSioyvQ... there, offline and through its daemon; so must Tally
   * (a symlink keeps only its mtime).
   */
  @Test
  void preservedModesAndTimesGiveKubosRootOfflineAndThroughTheDaemon() throws Exception {
    Path tree = kuboTree(tmp.resolve("kubo"));
    String kubo = "QmSioyvQuXetxg7uo8FswGn9XKKEsisDq1HTMzGyWbw2R6";
    String[] add = {"add", "-r", "-Q", "--preserve-mode", "--preserve-mtime", tree.toString()};
    assertEquals(kubo + "\n", ok(cli().run(add)));
    startDaemon();
    assertEquals(kubo + "\n", ok(cli().run(add)));
  }

  private static Path kuboTree(Path parent) throws java.io.IOException {
    long t = 1655158632L;
    Path d = Files.createDirectories(parent.resolve("testdir"));
    Path sub2 = Files.createDirectories(d.resolve("dir2/sub1/sub2"));
    Files.createDirectories(d.resolve("dir1"));
    Files.createDirectories(d.resolve("dir3"));
    Path file3 = Files.createFile(sub2.resolve("file3"));
    Path link1 = Files.createSymbolicLink(d.resolve("dir2/sub1/link1"), Path.of("../sub2/file3"));
    Path file2 = Files.createFile(d.resolve("dir3/file2"));
    Path file1 = Files.createFile(d.resolve("file1"));
    for (Path f : List.of(file1, file2, file3)) {
      Files.setPosixFilePermissions(
          f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    for (String dir : List.of("dir1", "dir2", "dir2/sub1", "dir2/sub1/sub2", "dir3")) {
      Files.setPosixFilePermissions(
          d.resolve(dir), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(
        d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    // Children before their directories: creating an entry changes its directory's mtime.
    Object[][] times = {
      {file3, 10}, {link1, 20}, {sub2, 30}, {d.resolve("dir2/sub1"), 40}, {d.resolve("dir2"), 50},
      {file2, 60}, {d.resolve("dir3"), 70}, {file1, 80}, {d.resolve("dir1"), 90}, {d, 0}
    };
    for (Object[] entry : times) {
      Files.getFileAttributeView(
              (Path) entry[0],
              java.nio.file.attribute.BasicFileAttributeView.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS)
          .setTimes(
              java.nio.file.attribute.FileTime.from(
                  t + (Integer) entry[1], java.util.concurrent.TimeUnit.SECONDS),
              null,
              null);
    }
    return d;
  }

  private String api() {
    return daemon.apiAddress().toString();
  }
}
