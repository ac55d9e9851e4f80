package dev.tally.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.testing.Poll;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One server per event loop on one port: accepted connections reach every event loop, port 0 picks
 * one free port for all of them (and a fresh one per listen), and closing or failing releases the
 * port.
 */
class EventLoopServersTest {
  private static final int LOOPS = 2;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
  private final List<Socket> clients = new ArrayList<>();

  /** The threads the connect handlers ran on. */
  private final Set<Thread> acceptedOn = ConcurrentHashMap.newKeySet();

  private final AtomicInteger accepted = new AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : clients) {
      s.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Future<List<NetServer>> listen(int port) {
    return EventLoopServers.listen(
        vertx,
        port,
        shared -> {
          NetServer server =
              vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(shared));
          server.connectHandler(
              socket -> {
                acceptedOn.add(Thread.currentThread());
                accepted.incrementAndGet();
              });
          return server.listen();
        },
        NetServer::actualPort,
        NetServer::close);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  private Set<Thread> eventLoopThreads() throws Exception {
    Set<Thread> threads = new HashSet<>();
    for (EventExecutor e : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      threads.add(e.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
    }
    return threads;
  }

  private void connect(int port, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
    }
  }

  @Test
  void connectionsToAnEphemeralPortReachEveryEventLoop() throws Exception {
    List<NetServer> servers = await(listen(0));
    assertEquals(LOOPS, servers.size());
    int port = servers.get(0).actualPort();
    assertTrue(port > 0, "bound port " + port);
    for (NetServer s : servers) {
      assertEquals(port, s.actualPort());
    }
    connect(port, 8);
    Poll.until(() -> accepted.get() == 8);
    assertEquals(eventLoopThreads(), acceptedOn);
  }

  @Test
  void connectionsToAFixedPortReachEveryEventLoop() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    List<NetServer> servers = await(listen(port));
    assertEquals(port, servers.get(0).actualPort());
    connect(port, 8);
    Poll.until(() -> accepted.get() == 8);
    assertEquals(eventLoopThreads(), acceptedOn);
  }

  @Test
  void twoEphemeralListensGetTwoPorts() throws Exception {
    int first = await(listen(0)).get(0).actualPort();
    int second = await(listen(0)).get(0).actualPort();
    assertNotEquals(first, second);
  }

  @Test
  void closingEveryServerReleasesThePort() throws Exception {
    List<NetServer> servers = await(listen(0));
    int port = servers.get(0).actualPort();
    await(EventLoopServers.closeAll(servers, NetServer::close));
    Poll.until(() -> refused(port));
    // And the port can be listened on again.
    assertEquals(port, await(listen(port)).get(0).actualPort());
  }

  @Test
  void aPortTakenByAnotherProcessFails() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Exception e = assertThrows(Exception.class, () -> await(listen(taken.getLocalPort())));
      assertTrue(String.valueOf(e.getMessage()).contains("Address already in use"), e.toString());
    }
  }

  @Test
  void aServerThatFailsToListenClosesTheOthers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    int[] bound = {0};
    Future<List<NetServer>> result =
        EventLoopServers.listen(
            vertx,
            0,
            shared -> {
              if (calls.incrementAndGet() > 1) {
                return Future.failedFuture(new IllegalStateException("refused on purpose"));
              }
              NetServer server =
                  vertx.createNetServer(
                      new NetServerOptions().setHost("127.0.0.1").setPort(shared));
              server.connectHandler(socket -> {});
              return server.listen().onSuccess(s -> bound[0] = s.actualPort());
            },
            NetServer::actualPort,
            NetServer::close);
    Exception e = assertThrows(Exception.class, () -> await(result));
    assertTrue(e.getMessage().contains("refused on purpose"), e.toString());
    assertEquals(LOOPS, calls.get());
    assertTrue(bound[0] > 0);
    Poll.until(() -> refused(bound[0]));
  }

  /**
   * Whether nothing listens on {@code port} any more. Polled: a server's close completes as its
   * listening channel's close is issued, and the socket may accept for a moment longer.
   */
  private static boolean refused(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
