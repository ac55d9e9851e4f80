package dev.tally.daemon;

import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrProtocol;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Daemons a test starts on loopback, stopped after it (after the test's own {@code @AfterEach}, so
 * clients close first). Register with {@code @RegisterExtension}.
 */
public final class RunningDaemon implements AfterEachCallback {
  private final List<Daemon> started = new ArrayList<>();

  /** A daemon on a fresh test-profile repo under {@code dir}. */
  Daemon start(Path dir, HttpLimits limits) {
    return start(Repo.init(dir.resolve("repo"), RepoConfig.testProfile()), limits);
  }

  /** A daemon on {@code repo}, stopped after the test. */
  public Daemon start(Repo repo, HttpLimits limits) {
    Daemon daemon = Daemon.start(repo, "test", limits);
    started.add(daemon);
    return daemon;
  }

  /** Where the daemon's RPC API listens. */
  public static InetSocketAddress api(Daemon daemon) {
    return loopback(daemon.apiAddress());
  }

  /** Where the daemon's gateway listens. */
  public static InetSocketAddress gateway(Daemon daemon) {
    return loopback(daemon.gatewayAddress());
  }

  /** Where the daemon's first swarm listener is. */
  public static InetSocketAddress swarm(Daemon daemon) {
    return loopback(daemon.swarmAddresses().get(0));
  }

  /** {@code http://127.0.0.1:PORT} of the daemon's RPC API. */
  public static String apiUrl(Daemon daemon) {
    return "http://127.0.0.1:" + api(daemon).getPort();
  }

  private static InetSocketAddress loopback(Multiaddr address) {
    String port = address.valueOf(MultiaddrProtocol.TCP).orElseThrow();
    return new InetSocketAddress("127.0.0.1", Integer.parseInt(port));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Daemon daemon : started) {
      daemon.stop();
    }
    started.clear();
  }
}
