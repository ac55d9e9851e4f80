package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.http.HttpLimits;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.host.BasicHost;
import dev.tally.net.host.HostOptions;
import dev.tally.net.testing.Poll;
import dev.tally.net.testing.ReadAll;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon serves inbound connections (swarm, RPC API, gateway) on every event loop, not only on
 * the one its main thread listened from; its connection limits still count every loop together; and
 * stopping it closes every loop's listener and releases the repo.
 */
class DaemonEventLoopsTest {
  private static final int LOOPS = 2;
  private static final String WHERE = "/tally/test/where/1.0.0";

  @TempDir Path temp;

  private Daemon daemon;
  private final Vertx clientVertx = Vertx.vertx();
  private final List<BasicHost> clients = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  /** The daemon thread that accepted each HTTP connection, by the client's port. */
  private final Map<Integer, Thread> acceptedOn = new ConcurrentHashMap<>();

  /** The daemon thread that began each HTTP request, by the client's port. */
  private final Map<Integer, Thread> requestOn = new ConcurrentHashMap<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    for (BasicHost h : clients) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    clientVertx.close().await(10, TimeUnit.SECONDS);
    if (daemon != null) {
      daemon.stop();
    }
  }

  /**
   * Vert.x with {@link #LOOPS} event loops and a metrics SPI that records, for each HTTP
   * connection, the thread that accepted it and the thread each of its requests began on.
   */
  private VertxBuilder recordingVertx() {
    return Vertx.builder()
        .with(
            new VertxOptions()
                .setEventLoopPoolSize(LOOPS)
                .setMetricsOptions(new MetricsOptions().setEnabled(true)))
        .withMetrics(
            options ->
                new VertxMetrics() {
                  @Override
                  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
                      HttpServerOptions server, SocketAddress local) {
                    return new HttpServerMetrics<Object, Object, Integer>() {
                      @Override
                      public Integer connected(SocketAddress remote, String remoteName) {
                        acceptedOn.put(remote.port(), Thread.currentThread());
                        return remote.port();
                      }

                      @Override
                      public Object requestBegin(Integer clientPort, HttpRequest request) {
                        requestOn.put(clientPort, Thread.currentThread());
                        return null;
                      }
                    };
                  }
                });
  }

  private Daemon start(HttpLimits limits) {
    Repo repo = Repo.init(temp.resolve("repo"), RepoConfig.testProfile());
    daemon = Daemon.start(repo, "test", limits, recordingVertx());
    return daemon;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  /** Sends {@code request} on a new connection and answers the client port and the status line. */
  private int request(int port, String request) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    sockets.add(s);
    s.setSoTimeout(20_000);
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    String status = StatusLine.read(s.getInputStream());
    assertTrue(status.startsWith("HTTP/1.1 "), "status line " + status);
    return s.getLocalPort();
  }

  private static void assertEventLoops(Set<Thread> threads, String what) {
    assertEquals(LOOPS, threads.size(), what + " served on " + threads);
    for (Thread t : threads) {
      assertTrue(t.getName().startsWith("vert.x-eventloop-thread-"), what + " served on " + t);
    }
  }

  @Test
  void swarmApiAndGatewayConnectionsAreServedOnEveryEventLoop() throws Exception {
    start(HttpLimits.defaults());
    Set<Thread> swarm = ConcurrentHashMap.newKeySet();
    daemon
        .network()
        .host()
        .setHandler(
            WHERE,
            stream -> {
              swarm.add(Thread.currentThread());
              stream.write(Buffer.buffer("ok"));
              stream.end();
            });
    Multiaddr swarmAddress =
        daemon.swarmAddresses().get(0).encapsulate("/p2p/" + daemon.repo().peerId());
    for (int i = 0; i < 4; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) (i + 1);
      BasicHost client =
          BasicHost.create(clientVertx, Ed25519PrivateKey.fromSeed(seed), HostOptions.defaults());
      clients.add(client);
      Connection c = await(client.dial(swarmAddress));
      assertEquals("ok", await(c.newStream(List.of(WHERE)).compose(ReadAll::text)));
    }
    assertEventLoops(swarm, "swarm streams");

    Set<Thread> api = new HashSet<>();
    Set<Thread> gateway = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      int client =
          request(
              RunningDaemon.api(daemon).getPort(),
              "POST /api/v0/id HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      api.add(requestOn.get(client));
      client =
          request(
              RunningDaemon.gateway(daemon).getPort(),
              "GET /ipfs/bafkqaaa HTTP/1.1\r\nHost: x\r\n\r\n");
      gateway.add(requestOn.get(client));
    }
    assertEventLoops(api, "API requests");
    assertEventLoops(gateway, "gateway requests");
  }

  @Test
  void theConnectionLimitIsTheServersNotEachEventLoops() throws Exception {
    int limit = 4;
    start(new HttpLimits(limit, 8, 60, 1 << 20, 8192, Duration.ofSeconds(60)));
    for (int port :
        List.of(RunningDaemon.api(daemon).getPort(), RunningDaemon.gateway(daemon).getPort())) {
      List<Socket> idle = new ArrayList<>();
      for (int i = 0; i < 2 * limit; i++) {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(s);
        idle.add(s);
        // One at a time, so that they alternate between the loops. Which ones the guard keeps is
        // not checked: two connections accepted on different loops a moment apart may reach it in
        // either order, so "the oldest" is only nearly the first accepted.
        Poll.until(() -> acceptedOn.containsKey(s.getLocalPort()));
      }
      List<Socket> open = new ArrayList<>();
      for (Socket s : idle) {
        if (isOpen(s)) {
          open.add(s);
        }
      }
      assertEquals(limit, open.size(), "connections left open on port " + port + ": " + open);
      Set<Thread> loops = new HashSet<>();
      for (Socket s : open) {
        loops.add(acceptedOn.get(s.getLocalPort()));
      }
      assertEventLoops(loops, "the connections the limit kept");
    }
  }

  @Test
  void stopClosesEveryEventLoopsListenerAndReleasesTheRepo() throws Exception {
    start(HttpLimits.defaults());
    List<Integer> ports =
        List.of(
            RunningDaemon.api(daemon).getPort(),
            RunningDaemon.gateway(daemon).getPort(),
            RunningDaemon.swarm(daemon).getPort());
    for (int port : ports) {
      for (int i = 0; i < 2 * LOOPS; i++) {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
      }
    }
    daemon.stop();
    daemon = null;
    for (int port : ports) {
      assertThrows(
          ConnectException.class,
          () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
          "port " + port + " still accepts after stop");
    }
    try (Repo again = Repo.open(temp.resolve("repo"))) {
      assertEquals(0, again.blocks().size());
    }
  }

  /** Whether the daemon still holds {@code s} open: a closed one reads end-of-stream at once. */
  private static boolean isOpen(Socket s) throws IOException {
    s.setSoTimeout(300);
    try {
      return s.getInputStream().read() != -1;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false; // reset
    }
  }
}
