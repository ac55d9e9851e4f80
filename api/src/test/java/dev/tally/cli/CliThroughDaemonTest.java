package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a daemon holding the repo, every command that has an RPC equivalent runs through the
 * daemon's API and prints what it prints offline (the offline path cannot run: the daemon holds the
 * repo lock); {@code --offline} meets the lock; {@code --api} works after any subcommand.
 */
class CliThroughDaemonTest {
  @TempDir Path tmp;

  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private Path repo() {
    return tmp.resolve("repo");
  }

  private Cli cli() {
    return new Cli(repo());
  }

  private static String ok(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    return r.stdout();
  }

  private void startDaemon() {
    daemon = Daemon.start(Repo.open(repo()), "test", HttpLimits.defaults());
  }

  /**
   * A repo on ephemeral ports holding a directory tree, a file, a raw block and a dag-cbor node.
   */
  private Map<String, String> fixture() throws Exception {
    Cli cli = cli();
    ok(cli.run("init"));
    for (String key : List.of("Addresses.API", "Addresses.Gateway")) {
      ok(cli.run("config", key, "/ip4/127.0.0.1/tcp/0"));
    }
    ok(cli.run("config", "Addresses.Swarm", "--json", "[\"/ip4/127.0.0.1/tcp/0\"]"));
    Path dir = tmp.resolve("site");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("index.html"), "<h1>tally</h1>\n");
    Files.writeString(dir.resolve("sub/a.txt"), "a".repeat(300_000));
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("dir", ok(cli.run("add", "-r", "-Q", dir.toString())).trim());
    ids.put(
        "file",
        ok(cli.runWithInput("hello world\n".getBytes(StandardCharsets.UTF_8), "add", "-Q")).trim());
    ids.put(
        "block",
        ok(cli.runWithInput("raw bytes".getBytes(StandardCharsets.UTF_8), "block", "put")).trim());
    ids.put(
        "node",
        ok(cli.runWithInput(
                ("{\"link\":{\"/\":\"" + ids.get("file") + "\"},\"n\":7}")
                    .getBytes(StandardCharsets.UTF_8),
                "dag",
                "put"))
            .trim());
    return ids;
  }

  /** The read-only commands whose output must not depend on whether a daemon runs. */
  private static List<String[]> readCommands(Map<String, String> ids) {
    String dir = ids.get("dir");
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"ls", dir});
    commands.add(new String[] {"ls", "-v", "/ipfs/" + dir + "/sub"});
    commands.add(new String[] {"cat", "/ipfs/" + dir + "/index.html"});
    commands.add(new String[] {"block", "get", ids.get("block")});
    commands.add(new String[] {"block", "stat", ids.get("file")});
    commands.add(new String[] {"dag", "get", ids.get("node")});
    commands.add(new String[] {"dag", "get", ids.get("node") + "/n"});
    commands.add(new String[] {"dag", "export", dir});
    commands.add(new String[] {"dag", "stat", dir, ids.get("file")});
    commands.add(new String[] {"pin", "ls"});
    commands.add(new String[] {"pin", "ls", "-n", "--type=recursive"});
    commands.add(new String[] {"pin", "verify", "--verbose"});
    commands.add(new String[] {"repo", "verify"});
    commands.add(new String[] {"config", "Addresses.API"});
    commands.add(new String[] {"config", "Datastore"});
    return commands;
  }

  @Test
  void readCommandsPrintTheSameThroughTheDaemonAsOffline() throws Exception {
    Map<String, String> ids = fixture();
    Cli cli = cli();
    List<String[]> commands = readCommands(ids);
    List<byte[]> offline = new ArrayList<>();
    for (String[] c : commands) {
      Cli.Result r = cli.run(c);
      ok(r);
      offline.add(r.stdoutBytes());
    }
    startDaemon();
    for (int i = 0; i < commands.size(); i++) {
      Cli.Result online = cli.run(commands.get(i));
      assertEquals(0, online.code(), String.join(" ", commands.get(i)) + ": " + online.stderr());
      assertArrayEquals(
          offline.get(i), online.stdoutBytes(), String.join(" ", commands.get(i)) + " differs");
    }
  }

  @Test
  void offlineFlagMeetsTheDaemonsRepoLock() throws Exception {
    Map<String, String> ids = fixture();
    startDaemon();
    for (String[] c :
        List.of(
            new String[] {"--offline", "block", "stat", ids.get("file")},
            new String[] {"pin", "ls", "--offline"},
            new String[] {"config", "show", "--offline"})) {
      Cli.Result r = cli().run(c);
      assertEquals(1, r.code(), String.join(" ", c));
      assertTrue(r.stderr().contains("is in use by process"), r.stderr());
    }
    Cli.Result both = cli().run("block", "stat", ids.get("file"), "--offline", "--api", api());
    assertEquals(1, both.code());
    assertTrue(both.stderr().contains("--api and --offline"), both.stderr());
  }

  private String api() {
    return daemon.apiAddress().toString();
  }

  @Test
  void apiOptionWorksAfterAnySubcommandWithoutARepo() throws Exception {
    Map<String, String> ids = fixture();
    startDaemon();
    Cli elsewhere = new Cli(tmp.resolve("no-repo-here"));
    assertEquals(
        "Key: " + ids.get("file") + "\nSize: 20\n",
        ok(elsewhere.run("block", "stat", ids.get("file"), "--api", api())));
    assertEquals("hello world\n", ok(elsewhere.run("--api", api(), "cat", ids.get("file"))));
    assertTrue(ok(elsewhere.run("pin", "ls", "--api", api())).contains(ids.get("dir")));
  }

  @Test
  void apiAuthPresentsTheSecretThatApiAuthorizationsRequires() throws Exception {
    Map<String, String> ids = fixture();
    ok(
        cli()
            .run(
                "config",
                "--json",
                "API.Authorizations",
                "{\"me\":{\"AuthSecret\":\"bearer:s3cret\",\"AllowedPaths\":[\"/api/v0\"]}}"));
    startDaemon();
    Cli.Result refused = cli().run("block", "stat", ids.get("file"));
    assertEquals(1, refused.code());
    assertTrue(refused.stderr().contains("403"), refused.stderr());
    assertEquals(
        "Key: " + ids.get("file") + "\nSize: 20\n",
        ok(cli().run("block", "stat", ids.get("file"), "--api-auth", "bearer:s3cret")));
    Cli.Result wrong = cli().run("block", "stat", ids.get("file"), "--api-auth", "bearer:nope");
    assertEquals(1, wrong.code());
  }

  @Test
  void writeCommandsChangeTheDaemonsRepo() throws Exception {
    Map<String, String> ids = fixture();
    startDaemon();
    Cli cli = cli();
    String block =
        ok(cli.runWithInput("more".getBytes(StandardCharsets.UTF_8), "block", "put")).trim();
    assertTrue(block.startsWith("bafkrei"), block);
    assertEquals("removed " + block + "\n", ok(cli.run("block", "rm", block)));
    Cli.Result pinned = cli.run("block", "rm", ids.get("file"));
    assertEquals(1, pinned.code());
    assertTrue(pinned.stderr().contains("cannot remove " + ids.get("file")), pinned.stderr());

    assertEquals(
        "pinned " + ids.get("node") + " directly\n",
        ok(cli.run("pin", "add", "--recursive=false", ids.get("node"))));
    assertEquals(ids.get("node") + " direct\n", ok(cli.run("pin", "ls", ids.get("node"))));
    assertEquals(
        "updated " + ids.get("file") + " to " + ids.get("dir") + "\n",
        ok(cli.run("pin", "update", ids.get("file"), ids.get("dir"))));
    assertEquals("unpinned " + ids.get("node") + "\n", ok(cli.run("pin", "rm", ids.get("node"))));

    // The file is no longer pinned (pin update moved its pin): GC through the daemon removes it.
    // GC names blocks by their raw CIDv1 key, as Kubo's does.
    String gc = ok(cli.run("repo", "gc"));
    assertTrue(gc.startsWith("removed bafkrei"), gc);
    Cli.Result gone = cli.run("block", "stat", ids.get("file"));
    assertEquals(1, gone.code());

    // dag import of a CAR exported through the daemon, into a second daemon-less check.
    Cli.Result car = cli.run("dag", "export", ids.get("dir"));
    Cli.Result imported = cli.runWithInput(car.stdoutBytes(), "dag", "import", "--stats");
    assertEquals(
        "Pinned root\t" + ids.get("dir") + "\tsuccess\n",
        imported.stdout().lines().findFirst().get() + "\n");
    assertTrue(imported.stdout().contains("Imported 6 blocks"), imported.stdout());

    ok(cli.run("config", "Datastore.StorageMax", "20GB"));
    assertEquals("20GB\n", ok(cli.run("config", "Datastore.StorageMax")));
    Cli.Result unknown = cli.run("config", "Datastore.NoSuchKey", "1");
    assertEquals(1, unknown.code());
    assertTrue(unknown.stderr().contains("unknown key 'Datastore.NoSuchKey'"), unknown.stderr());
    daemon.stop();
    daemon = null;
    assertTrue(Files.readString(repo().resolve("config.json")).contains("\"20GB\""));
  }

  @Test
  void getThroughTheDaemonWritesTheTreeAsOfflineGetDoes() throws Exception {
    Map<String, String> ids = fixture();
    Path offline = tmp.resolve("offline");
    ok(cli().run("get", ids.get("dir"), "-o", offline.toString()));
    startDaemon();
    Path online = tmp.resolve("online");
    ok(cli().run("get", "/ipfs/" + ids.get("dir"), "-o", online.toString()));
    for (String file : List.of("index.html", "sub/a.txt")) {
      assertArrayEquals(
          Files.readAllBytes(offline.resolve(file)), Files.readAllBytes(online.resolve(file)));
    }
    Path single = tmp.resolve("one.html");
    ok(cli().run("get", ids.get("dir") + "/index.html", "-o", single.toString()));
    assertEquals("<h1>tally</h1>\n", Files.readString(single));
  }
}
