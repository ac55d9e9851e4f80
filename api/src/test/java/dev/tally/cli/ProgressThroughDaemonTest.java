package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress bars of add, get and pin add through a running daemon: only on a terminal or asked. */
class ProgressThroughDaemonTest {
  private static final int SIZE = 1024 * 1024;
  @TempDir Path tmp;
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.stop();
    }
  }

  private static Cli.Result ok(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    return r;
  }

  /** A running daemon on ephemeral ports and a 1 MiB file to add. */
  private Path setUp(Cli cli) throws Exception {
    ok(cli.run("init"));
    for (String key : List.of("Addresses.API", "Addresses.Gateway")) {
      ok(cli.run("config", key, "/ip4/127.0.0.1/tcp/0"));
    }
    ok(cli.run("config", "Addresses.Swarm", "--json", "[\"/ip4/127.0.0.1/tcp/0\"]"));
    daemon = Daemon.start(Repo.open(tmp.resolve("repo")), "test", HttpLimits.defaults());
    byte[] data = new byte[SIZE];
    new Random(6).nextBytes(data);
    return Files.write(tmp.resolve("f.bin"), data);
  }

  @Test
  void noBarWhenNotATerminal() throws Exception {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path file = setUp(cli);

    Cli.Result add = ok(cli.run("add", file.toString()));
    String cid = add.stdout().split(" ")[1];
    Cli.Result get = ok(cli.run("get", cid, "-o", tmp.resolve("out").toString()));
    Cli.Result pin = ok(cli.run("pin", "add", cid));

    for (Cli.Result r : List.of(add, get, pin)) {
      assertFalse(r.stderr().contains("\r"), "a bar on a pipe: " + r.stderr());
    }
    assertEquals("pinned " + cid + " recursively\n", pin.stdout());
  }

  @Test
  void askedForTheBarsDrawThroughTheDaemon() throws Exception {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path file = setUp(cli);

    Cli.Result add = ok(cli.run("add", "--progress", file.toString()));
    assertTrue(add.stderr().contains("\r1.00 MiB / 1.00 MiB ["), add.stderr());
    assertTrue(add.stdout().startsWith("added "), add.stdout());
    String cid = add.stdout().split(" ")[1];

    // The daemon sends the file's size; the bar counts the tar around it and stops at 100 %.
    Path out = tmp.resolve("out");
    Cli.Result get = ok(cli.run("get", "--progress", cid, "-o", out.toString()));
    assertTrue(get.stderr().contains(" / 1.00 MiB ["), get.stderr());
    assertTrue(get.stderr().contains("100.00%"), get.stderr());
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out));

    Cli.Result pin = ok(cli.run("pin", "add", "--progress", cid));
    assertTrue(pin.stderr().contains("\r"), pin.stderr());
    assertEquals("pinned " + cid + " recursively\n", pin.stdout());

    Cli.Result quiet = ok(cli.run("add", "-q", file.toString()));
    assertFalse(quiet.stderr().contains("\r"), "-q drew a bar: " + quiet.stderr());
  }
}
