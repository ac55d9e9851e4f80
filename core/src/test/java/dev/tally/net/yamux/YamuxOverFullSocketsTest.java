package dev.tally.net.yamux;

import static dev.tally.net.yamux.FrameHeader.FLAG_ACK;
import static dev.tally.net.yamux.FrameHeader.FLAG_FIN;
import static dev.tally.net.yamux.FrameHeader.FLAG_SYN;
import static dev.tally.net.yamux.FrameHeader.TYPE_PING;
import static dev.tally.net.yamux.FrameHeader.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import dev.tally.net.tcp.TcpDuplex;
import dev.tally.net.tcp.TcpListener;
import dev.tally.net.tcp.TcpOptions;
import dev.tally.net.tcp.TcpTransport;
import dev.tally.net.testing.Poll;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Yamux sessions on real sockets spread over several event loops, each socket filled until Vert.x
 * reports it full while the peer does not read: the session's data waits in its streams (ADR 043),
 * so a ping is answered ahead of it, and it all arrives, in order, once the peer reads again, woken
 * by the sockets' own drain signals.
 */
class YamuxOverFullSocketsTest {
  private static final int LOOPS = 2;
  private static final int CONNECTIONS = 4;
  private static final int PER_STREAM = 64 << 20;
  private static final int CHUNK = 64 * 1024;
  private static final long PING = 0x5eed;

  private final Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
  private final Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @AfterEach
  void stop() throws Exception {
    serverVertx.close().await(10, TimeUnit.SECONDS);
    clientVertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A server-side session and the context it runs on. */
  private record Served(YamuxSession session, Context context, Thread loop) {}

  /** A hand-driven client: opens one stream with a large window, reads only when told. */
  private static final class Client {
    final TcpDuplex socket;
    final Context context;
    final MessageDigest digest;
    long data;
    long dataBeforePingAnswer = -1;
    final Promise<Void> finished = Promise.promise();

    Client(TcpDuplex socket, Context context) throws Exception {
      this.socket = socket;
      this.context = context;
      this.digest = MessageDigest.getInstance("SHA-256");
      FrameDecoder decoder =
          new FrameDecoder(
              new FrameDecoder.Sink() {
                @Override
                public void onHeader(FrameHeader h) {
                  if (h.type() == TYPE_PING && h.has(FLAG_ACK) && h.length() == PING) {
                    dataBeforePingAnswer = data;
                  }
                }

                @Override
                public void onData(FrameHeader h, Buffer piece) {
                  data += piece.length();
                  digest.update(piece.getBytes());
                }

                @Override
                public void onFrameEnd(FrameHeader h) {
                  if (h.has(FLAG_FIN)) {
                    finished.tryComplete();
                  }
                }
              });
      socket.pause();
      socket.handler(decoder::feed);
      // Stream 1 with a window that lets the server send everything at once.
      socket.write(RawPeer.frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, PER_STREAM, Buffer.buffer()));
    }
  }

  private Set<Thread> serverLoops() throws Exception {
    Set<Thread> threads = new HashSet<>();
    for (EventExecutor e : ((VertxInternal) serverVertx).nettyEventLoopGroup()) {
      threads.add(e.submit(Thread::currentThread).get(10, TimeUnit.SECONDS));
    }
    return threads;
  }

  private static boolean full(Served s) {
    Promise<Boolean> full = Promise.promise();
    s.context().runOnContext(v -> full.complete(s.session().transportFull()));
    return await(full.future());
  }

  @Test
  void aPingIsAnsweredAheadOfDataAFullSocketHoldsAndAllDataFollows() throws Exception {
    byte[] data = new byte[PER_STREAM];
    new Random(43).nextBytes(data);
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
    Buffer whole = Buffer.buffer(data);
    List<Served> served = new CopyOnWriteArrayList<>();
    AtomicInteger started = new AtomicInteger();
    TcpListener listener =
        await(
            new TcpTransport(serverVertx, TcpOptions.DEFAULTS)
                .listen(
                    Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
                    socket -> {
                      Context context = Vertx.currentContext();
                      YamuxSession session =
                          YamuxSession.start(context, socket, false, YamuxOptions.defaults());
                      // An echo-like writer: writes it all at once, ignoring writeQueueFull.
                      session.streamHandler(
                          stream -> {
                            started.incrementAndGet();
                            for (int i = 0; i < data.length; i += CHUNK) {
                              stream.write(whole.slice(i, i + CHUNK));
                            }
                            stream.end();
                          });
                      served.add(new Served(session, context, Thread.currentThread()));
                    }));
    TcpTransport clientTcp = new TcpTransport(clientVertx, TcpOptions.DEFAULTS);
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      clients.add(
          await(
              clientTcp
                  .dial(listener.address())
                  .compose(
                      s -> {
                        try {
                          return Future.succeededFuture(new Client(s, Vertx.currentContext()));
                        } catch (Exception e) {
                          return Future.failedFuture(e);
                        }
                      })));
    }
    Poll.until(() -> started.get() == CONNECTIONS);
    Poll.until(() -> served.stream().allMatch(YamuxOverFullSocketsTest::full));
    for (Client c : clients) {
      c.context.runOnContext(
          v -> {
            c.socket.write(RawPeer.frame(TYPE_PING, FLAG_SYN, 0, PING, Buffer.buffer()));
            c.socket.resume();
          });
    }
    for (Client c : clients) {
      await(c.finished.future());
      Promise<long[]> seen = Promise.promise();
      c.context.runOnContext(v -> seen.complete(new long[] {c.data, c.dataBeforePingAnswer}));
      long[] counts = await(seen.future());
      assertEquals(PER_STREAM, counts[0], "data bytes the client read");
      assertTrue(counts[1] >= 0, "the ping was answered");
      // Before: the answer came after every byte the stream's window allowed (all 64 MiB). Now
      // after what the socket itself holds: kernel buffers on both ends, Netty's 1 MiB high-water
      // mark, Vert.x's queue, the reads Vert.x holds for the paused client (10 MiB measured).
      assertTrue(
          counts[1] < PER_STREAM / 2,
          "data bytes ahead of the ping's answer: " + counts[1] + " of " + PER_STREAM);
      assertArrayEquals(expected, c.digest.digest(), "SHA-256 of the data, in order");
    }
    Set<Thread> loops = new HashSet<>();
    served.forEach(s -> loops.add(s.loop()));
    assertEquals(serverLoops(), loops, "loops the filled sockets were served on");
    await(listener.close());
  }
}
