package dev.tally.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Connection;
import dev.tally.net.Stream;
import dev.tally.net.testing.Poll;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streams written from threads that are not the connection's event loop: plain threads, Vert.x
 * worker threads and other event loops, many streams at once over one Noise + Yamux connection. The
 * Yamux session and the Noise cipher state belong to the connection's context; every call from
 * elsewhere must reach it in the caller's order, with back-pressure, and every stream callback must
 * run on that context.
 */
class ForeignThreadStreamsTest {
  private static final String SINK = "/tally/test/digest-sink/1.0.0";
  private static final long BYTES_PER_STREAM = 768 * 1024;

  private final Vertx listenerVertx = Vertx.vertx();
  private final Vertx dialerVertx = Vertx.vertx();
  private final ExecutorService threads = Executors.newFixedThreadPool(6);
  private final List<BasicHost> hosts = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    for (BasicHost h : hosts) {
      h.close().await(10, TimeUnit.SECONDS);
    }
    listenerVertx.close().await(10, TimeUnit.SECONDS);
    dialerVertx.close().await(10, TimeUnit.SECONDS);
  }

  private BasicHost host(Vertx vertx, int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    BasicHost h = BasicHost.create(vertx, Ed25519PrivateKey.fromSeed(s), HostOptions.defaults());
    hosts.add(h);
    return h;
  }

  /** Where a stream's writer runs. */
  private enum Writer {
    PLAIN_THREAD,
    VERTX_WORKER,
    OTHER_EVENT_LOOP
  }

  /** The sink answers "<count> <sha-256 hex>" of what it read; all callbacks on one thread. */
  private static void sink(Stream s, Set<Thread> callbackThreads) {
    MessageDigest sha = sha256();
    long[] count = {0};
    s.handler(
        b -> {
          callbackThreads.add(Thread.currentThread());
          sha.update(b.getBytes());
          count[0] += b.length();
        });
    s.endHandler(
        v -> {
          callbackThreads.add(Thread.currentThread());
          s.write(Buffer.buffer(count[0] + " " + HexFormat.of().formatHex(sha.digest())));
          s.end();
        });
  }

  @Test
  void manyStreamsWrittenFromForeignThreadsArriveIntactAndInOrder() throws Exception {
    BasicHost listener = host(listenerVertx, 11);
    BasicHost dialer = host(dialerVertx, 12);
    Set<Thread> sinkThreads = ConcurrentHashMap.newKeySet();
    listener.setHandler(SINK, s -> sink(s, sinkThreads));
    Multiaddr addr =
        listener
            .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
            .await(10, TimeUnit.SECONDS)
            .encapsulate("/p2p/" + listener.peerId());
    Connection connection = dialer.dial(addr).await(10, TimeUnit.SECONDS);

    Set<Thread> senderCallbackThreads = ConcurrentHashMap.newKeySet();
    Context otherLoop = dialerVertx.getOrCreateContext();
    List<Future<String>> replies = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    int streams = 24;
    for (int i = 0; i < streams; i++) {
      Writer writer = Writer.values()[i % Writer.values().length];
      byte[] data = new byte[(int) BYTES_PER_STREAM];
      new Random(1000 + i).nextBytes(data);
      expected.add(data.length + " " + HexFormat.of().formatHex(sha256().digest(data)));
      Promise<String> reply = Promise.promise();
      replies.add(reply.future());
      long seed = 2000 + i;
      Runnable write =
          () ->
              connection
                  .newStream(List.of(SINK))
                  .onFailure(reply::tryFail)
                  .onSuccess(
                      s -> {
                        readReply(s, reply, senderCallbackThreads);
                        start(writer, s, data, seed, otherLoop, reply);
                      });
      // Streams are also opened from foreign threads, many at once.
      threads.execute(write);
    }
    List<String> got = new ArrayList<>();
    for (Future<String> f : replies) {
      got.add(f.await(60, TimeUnit.SECONDS));
    }
    assertEquals(expected, got, "every stream's bytes arrived complete and in order");
    assertEquals(1, sinkThreads.size(), "sink callbacks ran on one thread: " + sinkThreads);
    assertEquals(
        1,
        senderCallbackThreads.size(),
        "the dialer's stream callbacks ran on one thread: " + senderCallbackThreads);
    assertTrue(
        sinkThreads.stream().allMatch(t -> t.getName().startsWith("vert.x-eventloop")),
        "sink callbacks on an event loop: " + sinkThreads);
    waitFor(() -> connection.streamCount() == 0 && !connection.isClosed());
    waitFor(() -> listener.resources().usage().streams() == 0);
  }

  private static void readReply(Stream s, Promise<String> reply, Set<Thread> threads) {
    Buffer answer = Buffer.buffer();
    s.handler(
        b -> {
          threads.add(Thread.currentThread());
          answer.appendBuffer(b);
        });
    s.exceptionHandler(reply::tryFail);
    s.endHandler(
        v -> {
          threads.add(Thread.currentThread());
          reply.tryComplete(answer.toString(StandardCharsets.US_ASCII));
        });
  }

  private void start(
      Writer writer, Stream s, byte[] data, long seed, Context otherLoop, Promise<String> reply) {
    switch (writer) {
      case PLAIN_THREAD -> threads.execute(() -> blockingWrite(s, data, seed, reply));
      case VERTX_WORKER ->
          dialerVertx.executeBlocking(
              () -> {
                blockingWrite(s, data, seed, reply);
                return null;
              },
              false);
      case OTHER_EVENT_LOOP ->
          otherLoop.runOnContext(v -> new LoopWriter(s, data, seed, otherLoop, reply).run());
    }
  }

  /**
   * Writes {@code data} in chunks of random sizes (1 byte to past one Noise frame) from the calling
   * thread, waiting for the drain handler whenever the stream reports a full queue.
   */
  private static void blockingWrite(Stream s, byte[] data, long seed, Promise<String> reply) {
    try {
      AtomicLong drains = new AtomicLong();
      s.drainHandler(
          v -> {
            synchronized (drains) {
              drains.incrementAndGet();
              drains.notifyAll();
            }
          });
      Random sizes = new Random(seed);
      int pos = 0;
      while (pos < data.length) {
        long seen = drains.get();
        if (s.writeQueueFull()) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          synchronized (drains) {
            while (drains.get() == seen) {
              long left = deadline - System.nanoTime();
              if (left <= 0) {
                throw new AssertionError("no drain within 20 s after writeQueueFull()");
              }
              drains.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
          }
          continue;
        }
        int n = Math.min(data.length - pos, chunk(sizes));
        s.write(Buffer.buffer(data).slice(pos, pos + n));
        pos += n;
      }
      s.end();
    } catch (Throwable t) {
      reply.tryFail(t);
    }
  }

  private static int chunk(Random sizes) {
    return switch (sizes.nextInt(3)) {
      case 0 -> 1 + sizes.nextInt(16);
      case 1 -> 1 + sizes.nextInt(4096);
      default -> 1 + sizes.nextInt(70_000);
    };
  }

  /** Writes from an event loop other than the connection's, resuming on drain there. */
  private static final class LoopWriter {
    private final Stream s;
    private final byte[] data;
    private final Random sizes;
    private final Context loop;
    private final Promise<String> reply;
    private int pos;

    LoopWriter(Stream s, byte[] data, long seed, Context loop, Promise<String> reply) {
      this.s = s;
      this.data = data;
      this.sizes = new Random(seed);
      this.loop = loop;
      this.reply = reply;
      s.drainHandler(v -> loop.runOnContext(x -> run()));
    }

    void run() {
      try {
        while (pos < data.length) {
          if (s.writeQueueFull()) {
            return;
          }
          int n = Math.min(data.length - pos, chunk(sizes));
          s.write(Buffer.buffer(data).slice(pos, pos + n));
          pos += n;
        }
        if (pos == data.length) {
          pos++;
          s.end();
        }
      } catch (Throwable t) {
        reply.tryFail(t);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    Poll.until(condition);
  }
}
