package dev.tally.it.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.cli.Main;
import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A js-libp2p node connected to a Tally daemon, seen through the CLI as a user sees it. */
class DaemonJsPeerTest {
  @TempDir Path temp;

  private static String tally(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, exit, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsPeerConnectedToTheDaemonShowsInSwarmPeersAndAnswersPing() throws Exception {
    Repo repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile());
    Daemon daemon = Daemon.start(repo, "it", HttpLimits.defaults());
    byte[] seed = new byte[32];
    seed[0] = 77;
    try (JsLibp2pPeer js = JsLibp2pPeer.start(seed)) {
      String dir = repo.dir().toString();
      assertEquals(
          "connect " + js.peerId + " success\n",
          tally("swarm", "connect", js.address.toString(), "--repo", dir));
      String peers = tally("swarm", "peers", "--repo", dir);
      assertTrue(
          peers.lines().anyMatch(l -> l.endsWith("/p2p/" + js.peerId)), "swarm peers: " + peers);
      List<String> ping =
          tally("ping", "-n", "2", js.peerId.toString(), "--repo", dir).lines().toList();
      assertEquals("PING " + js.peerId + ".", ping.get(0));
      assertEquals(2, ping.stream().filter(l -> l.startsWith("Pong received: time=")).count());
    } finally {
      daemon.stop();
    }
  }
}
