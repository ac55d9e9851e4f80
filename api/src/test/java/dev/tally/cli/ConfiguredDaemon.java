package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.storage.repo.Repo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A repo set up through {@code tally config} on loopback ports, the daemon started from it, and
 * libp2p peers that dial it: the config-to-behaviour tests' common ground. Registered as a JUnit
 * extension ({@code @RegisterExtension}), one per test: after the test it stops the daemon and
 * deletes the repo.
 */
final class ConfiguredDaemon implements AfterEachCallback {
  final Cli cli;
  final Vertx vertx = Vertx.vertx();
  private final Path dir;
  private final Path repo;
  private Daemon daemon;

  /** {@code tally init}, with the API, gateway and swarm on loopback ports the system picks. */
  ConfiguredDaemon() {
    try {
      dir = Files.createTempDirectory("tally-config-limits");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    repo = dir.resolve("repo");
    cli = new Cli(repo);
    ok(cli.run("init"));
    for (String key : List.of("Addresses.API", "Addresses.Gateway")) {
      ok(cli.run("config", key, "/ip4/127.0.0.1/tcp/0"));
    }
    ok(cli.run("config", "Addresses.Swarm", "--json", "[\"/ip4/127.0.0.1/tcp/0\"]"));
  }

  /** {@code tally config KEY VALUE} for each pair, as a user types it (no {@code --json}). */
  void config(String... keysAndValues) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      ok(cli.run("config", keysAndValues[i], keysAndValues[i + 1]));
    }
  }

  /** {@code tally config KEY VALUE} fails, and its error says {@code why}. */
  void refused(String key, String value, String why) {
    Cli.Result bad = cli.run("config", key, value);
    assertEquals(1, bad.code(), bad.stdout());
    assertTrue(bad.stderr().contains(why), bad.stderr());
  }

  /** Starts the daemon on the config as {@code tally config} left it. */
  Daemon start() {
    daemon = Daemon.start(Repo.open(repo), "test", HttpLimits.defaults());
    return daemon;
  }

  Daemon daemon() {
    return daemon;
  }

  /** A fresh peer connected to the daemon over TCP, Noise and Yamux. */
  BasicHost connectedPeer(int seed) {
    return connectedPeer(seed, peer -> {});
  }

  /** A fresh peer, set up by {@code beforeDial} (handlers, listeners), connected to the daemon. */
  BasicHost connectedPeer(int seed, Consumer<BasicHost> beforeDial) {
    byte[] key = new byte[32];
    key[0] = (byte) seed;
    BasicHost peer =
        BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(key), HostOptions.defaults());
    beforeDial.accept(peer);
    await(peer.dial(daemon.swarmAddresses().get(0).encapsulate("/p2p/" + daemon.repo().peerId())));
    return peer;
  }

  static String ok(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    return r.stdout();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      if (daemon != null) {
        daemon.stop();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
