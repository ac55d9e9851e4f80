package dev.tally.net.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bootstrap peers are reconnected when they drop, and a failing one is not redialled in a loop. */
class BootstrapPeersTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (BasicHost h : hosts) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private BasicHost host(int seed, HostOptions options) {
    byte[] s = new byte[32];
    s[0] = (byte) (60 + seed);
    BasicHost h = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(s), options);
    hosts.add(h);
    return h;
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within 20 s: " + what);
      Thread.sleep(20);
    }
  }

  @Test
  void reconnectsToABootstrapPeerThatDropsTheConnection() throws Exception {
    BasicHost bootstrap = host(1, HostOptions.defaults());
    Multiaddr addr =
        bootstrap
            .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
            .await(10, TimeUnit.SECONDS)
            .encapsulate("/p2p/" + bootstrap.peerId());
    BasicHost node = host(2, HostOptions.defaults());
    BootstrapPeers peers =
        new BootstrapPeers(vertx, node, List.of(addr), Duration.ofMillis(200)).start();
    waitFor(() -> node.connections().size() == 1, "connected at start");
    waitFor(() -> bootstrap.connections().size() == 1, "accepted at start");
    bootstrap.connections().get(0).close().await(10, TimeUnit.SECONDS);
    waitFor(() -> node.connections().isEmpty(), "the drop seen");
    waitFor(() -> node.connections().size() == 1, "reconnected");
    peers.stop();
  }

  @Test
  void aBootstrapPeerThatKeepsFailingIsDialledOncePerBackOffNotOncePerTick() throws Exception {
    AtomicInteger accepted = new AtomicInteger();
    // Accepts TCP and hangs up at once: every dial fails during the upgrade.
    NetServer refusing =
        vertx
            .createNetServer()
            .connectHandler(
                s -> {
                  accepted.incrementAndGet();
                  s.close();
                });
    int port = refusing.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    BasicHost other = host(3, HostOptions.defaults());
    Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + other.peerId());
    BasicHost node =
        host(
            4,
            HostOptions.defaults()
                .withDialBackoff(
                    new DialBackoffOptions(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        100)));
    BootstrapPeers peers =
        new BootstrapPeers(vertx, node, List.of(addr), Duration.ofMillis(50)).start();
    Thread.sleep(3_500);
    peers.stop();
    // Ticks every 50 ms would mean ~70 dials; back-off of 2 s, then 5 s allows two or three.
    int dials = accepted.get();
    assertTrue(dials >= 1 && dials <= 3, dials + " dials in 3.5 s");
    assertTrue(node.dialBackoff().remaining(addr).isPresent(), "address backed off");
    refusing.close().await(10, TimeUnit.SECONDS);
  }
}
