package dev.tally.net.host;

import static dev.tally.net.testing.Hosts.await;
import static dev.tally.net.testing.Hosts.p2p;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.tcp.TcpDuplex;
import dev.tally.net.tcp.TcpListener;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.tcp.TcpTransport;
import dev.tally.net.testing.Poll;
import dev.tally.net.testing.ReadAll;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listening host serves inbound connections on all of its Vert.x instance's event loops, not only
 * on the one that called listen, and its connection limit still counts all of them together.
 */
class InboundEventLoopsTest {
  private static final String WHERE = "/tally/test/where/1.0.0";
  private static final int LOOPS = 2;

  private final Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
  private final Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
  private final List<BasicHost> hosts = new ArrayList<>();

  /** Threads the server's stream handler ran on. */
  private final Set<Thread> servedOn = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() throws Exception {
    for (BasicHost h : hosts) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    serverVertx.close().await(10, TimeUnit.SECONDS);
    clientVertx.close().await(10, TimeUnit.SECONDS);
  }

  private BasicHost host(Vertx vertx, int seed, HostOptions options) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = 77;
    BasicHost h = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(s), options);
    hosts.add(h);
    return h;
  }

  /** A server whose {@link #WHERE} handler records its thread and answers "ok". */
  private BasicHost server(HostOptions options) {
    BasicHost server = host(serverVertx, 1, options);
    server.setHandler(
        WHERE,
        stream -> {
          servedOn.add(Thread.currentThread());
          stream.write(Buffer.buffer("ok"));
          stream.end();
        });
    await(server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")));
    return server;
  }

  private Set<Thread> serverLoops() throws Exception {
    Set<Thread> threads = new HashSet<>();
    for (EventExecutor e : ((VertxInternal) serverVertx).nettyEventLoopGroup()) {
      threads.add(e.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
    }
    return threads;
  }

  @Test
  void inboundConnectionsAreServedOnEveryEventLoop() throws Exception {
    BasicHost server = server(HostOptions.defaults());
    for (int i = 0; i < 6; i++) {
      BasicHost client = host(clientVertx, 10 + i, HostOptions.defaults());
      Connection c = await(client.dial(p2p(server)));
      assertEquals("ok", await(c.newStream(List.of(WHERE)).compose(ReadAll::text)));
    }
    assertEquals(6, server.connections().size());
    assertEquals(serverLoops(), servedOn, "threads that served inbound streams");
  }

  @Test
  void theConnectionLimitCountsEveryEventLoopTogether() throws Exception {
    BasicHost server = server(HostOptions.defaults().withMaxConnections(3));
    // One at a time: accepted connections alternate between the loops, so the first three sit on
    // both, and a limit kept per loop (3 each) would let the next three in.
    int connected = 0;
    for (int i = 0; i < 8; i++) {
      Future<Connection> dial = host(clientVertx, 30 + i, HostOptions.defaults()).dial(p2p(server));
      connected += await(dial.transform(ar -> Future.succeededFuture(ar.succeeded() ? 1 : 0)));
    }
    assertEquals(3, connected, "dials that got through a limit of 3");
    // The server registers a connection once the dialler's last handshake message arrives.
    Poll.until(() -> server.connections().size() == 3);
    assertEquals(3, server.resources().usage().connections());
    Set<Thread> loops = new HashSet<>();
    for (Connection c : server.connections()) {
      Promise<Thread> t = Promise.promise();
      ((HostConnection) c).context().runOnContext(v -> t.complete(Thread.currentThread()));
      loops.add(await(t.future()));
    }
    assertEquals(serverLoops(), loops, "loops of the admitted connections");
  }

  /** Where an accepted socket's connect and drain handlers ran. */
  private record Signals(
      Thread acceptedOn,
      Context acceptContext,
      Promise<Thread> drainedOn,
      Promise<Context> drainContext) {}

  /**
   * The premise of Yamux's send fairness (ADR 043): a connection's drain is signalled on the event
   * loop and context the connection was accepted on (Vert.x 5 emits it on the socket's context),
   * which is where the host starts the connection's Yamux session. Checked on every loop of a
   * server whose accepted sockets are spread over several, each filled until Vert.x reports its
   * queue full while the dialler does not read.
   */
  @Test
  void aFullConnectionSignalsRoomOnTheLoopItWasAcceptedOn() throws Exception {
    int connections = 4;
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    List<Signals> signals = new ArrayList<>();
    List<Promise<Long>> written = new ArrayList<>();
    TcpTransport serverTcp = new TcpTransport(serverVertx, TcpOptions.DEFAULTS);
    TcpListener listener =
        await(
            serverTcp.listen(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                socket -> {
                  Signals s;
                  Promise<Long> total = Promise.promise();
                  synchronized (signals) {
                    s =
                        new Signals(
                            Thread.currentThread(),
                            Vertx.currentContext(),
                            Promise.promise(),
                            Promise.promise());
                    signals.add(s);
                    written.add(total);
                  }
                  socket.drainHandler(
                      v -> {
                        s.drainContext().tryComplete(Vertx.currentContext());
                        s.drainedOn().tryComplete(Thread.currentThread());
                      });
                  long bytes = 0;
                  // Bounded: a loopback socket takes a few MiB before Vert.x reports it full.
                  while (!socket.writeQueueFull() && bytes < (256L << 20)) {
                    socket.write(chunk);
                    bytes += chunk.length();
                  }
                  total.complete(socket.writeQueueFull() ? bytes : -1);
                  socket.end();
                }));
    TcpTransport clientTcp = new TcpTransport(clientVertx, TcpOptions.DEFAULTS);
    List<TcpDuplex> clients = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      clients.add(await(clientTcp.dial(listener.address())));
    }
    Poll.until(() -> written.size() == connections);
    long sent = 0;
    for (Promise<Long> total : written) {
      long bytes = await(total.future());
      assertTrue(bytes > 0, "the server filled its socket");
      sent += bytes;
    }
    List<Promise<Long>> received = new ArrayList<>();
    for (TcpDuplex c : clients) {
      Promise<Long> got = Promise.promise();
      AtomicLong n = new AtomicLong();
      c.handler(b -> n.addAndGet(b.length()));
      c.endHandler(v -> got.tryComplete(n.get()));
      c.resume();
      received.add(got);
    }
    long arrived = 0;
    for (Promise<Long> got : received) {
      arrived += await(got.future());
    }
    assertEquals(sent, arrived, "bytes the dialers read");
    Set<Thread> acceptLoops = new HashSet<>();
    for (Signals s : signals) {
      acceptLoops.add(s.acceptedOn());
      assertSame(s.acceptedOn(), await(s.drainedOn().future()), "thread of the drain");
      assertSame(s.acceptContext(), await(s.drainContext().future()), "context of the drain");
    }
    assertEquals(serverLoops(), acceptLoops, "loops the filled sockets were accepted on");
    await(listener.close());
  }
}
