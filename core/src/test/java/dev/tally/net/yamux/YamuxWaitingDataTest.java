package dev.tally.net.yamux;

import static dev.tally.net.yamux.FrameHeader.FLAG_ACK;
import static dev.tally.net.yamux.FrameHeader.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.Duplex;
import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stream data that waits for room in the connection (ADR 043) is sent, once, in order, on the
 * session's event loop, whatever thread or call the connection signals room or completes writes
 * from.
 */
class YamuxWaitingDataTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final YamuxOptions OPTS = YamuxOptions.defaults();
  private static final int CHUNK = 16 * 1024;

  private final Loop loop = new Loop();
  private final Vertx otherVertx = Vertx.vertx();

  @AfterEach
  void stop() {
    loop.close();
    otherVertx.close().await();
  }

  private record Rig(YamuxSession session, RawPeer raw) {}

  /** A session over {@code wrap} of one end of a link that holds {@code linkQueue} bytes. */
  private Rig rig(int linkQueue, Function<MemoryDuplex, Duplex> wrap) {
    return loop.call(
        () -> {
          MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, linkQueue);
          YamuxSession s = YamuxSession.start(loop.context, wrap.apply(ends[0]), true, OPTS);
          return new Rig(s, new RawPeer(ends[1]));
        });
  }

  /** The current thread, told apart from a namesake of another Vert.x instance. */
  private static String thread() {
    Thread t = Thread.currentThread();
    return t.getName() + " (id " + t.getId() + ")";
  }

  private static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A connection may signal room from another thread (its socket on another event loop): the
   * waiting data must still be written by the session's own loop, never by the signalling thread,
   * which would race the session's state.
   */
  @Test
  void roomSignalledFromAnotherEventLoopIsUsedOnTheSessionsOwn() {
    Context elsewhere = otherVertx.getOrCreateContext();
    Set<String> writers = ConcurrentHashMap.newKeySet();
    String sessionLoop = loop.call(YamuxWaitingDataTest::thread);
    Rig r =
        rig(
            64 * 1024,
            end ->
                new ForwardingDuplex(end) {
                  @Override
                  public Future<Void> write(Buffer data) {
                    writers.add(thread());
                    return super.write(data);
                  }

                  @Override
                  public ForwardingDuplex drainHandler(Handler<Void> handler) {
                    delegate.drainHandler(v -> elsewhere.runOnContext(x -> handler.handle(null)));
                    return this;
                  }
                });
    YamuxStream stream = loop.await(r.session()::open);
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, stream.id(), 16 << 20));
    loop.until(WAIT, () -> stream.sendWindow() > 16 << 20, "window granted");
    loop.run(() -> r.raw().end.pause());
    byte[] data = random(4 << 20, 11);
    loop.run(
        () -> {
          for (int i = 0; i < data.length; i += 64 * 1024) {
            stream.write(Buffer.buffer(java.util.Arrays.copyOfRange(data, i, i + 64 * 1024)));
          }
        });
    loop.run(() -> r.raw().end.resume());
    loop.until(WAIT, () -> r.raw().receivedData.length() >= data.length, "all data arrived");
    assertEquals(Set.of(sessionLoop), writers, "threads that wrote to the connection");
    assertArrayEquals(data, loop.call(() -> r.raw().receivedData.getBytes()), "the data, in order");
  }

  /**
   * A connection may complete earlier writes inside a later write (Netty's flush writes what was
   * queued before, and completes its promises, within the write that flushes). A writer that writes
   * its next chunk when the last one is written must not land inside the session's own write: its
   * frame would split another frame's header from its payload, or re-send a queued piece.
   */
  @Test
  void writesCompletedInsideALaterWriteAreReportedAfterIt() {
    List<Promise<Void>> unfinished = new ArrayList<>();
    Rig r =
        rig(
            1 << 30,
            end ->
                new ForwardingDuplex(end) {
                  @Override
                  public Future<Void> write(Buffer data) {
                    Future<Void> queued = super.write(data);
                    List<Promise<Void>> earlier = new ArrayList<>(unfinished);
                    unfinished.clear();
                    Promise<Void> mine = Promise.promise();
                    unfinished.add(mine);
                    queued.onFailure(mine::tryFail);
                    earlier.forEach(Promise::tryComplete);
                    return mine.future();
                  }
                });
    YamuxStream stream = loop.await(r.session()::open);
    int first = 24; // 384 KiB: the first 16 fill the initial 256 KiB window, the rest queue
    int total = 96;
    Buffer issued = Buffer.buffer();
    loop.run(
        () -> {
          int[] next = {0};
          Runnable[] writeNext = new Runnable[1];
          writeNext[0] =
              () -> {
                int k = next[0]++;
                if (k >= total) {
                  return;
                }
                Buffer chunk = Buffer.buffer(random(CHUNK, k));
                issued.appendBuffer(chunk);
                stream.write(chunk).onSuccess(v -> writeNext[0].run());
              };
          for (int i = 0; i < first; i++) {
            writeNext[0].run();
          }
        });
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, 0, stream.id(), 16 << 20));
    loop.until(WAIT, () -> r.raw().receivedData.length() >= total * CHUNK, "every chunk arrived");
    assertEquals(total * CHUNK, loop.call(issued::length), "chunks written");
    assertArrayEquals(
        loop.call(issued::getBytes),
        loop.call(() -> r.raw().receivedData.getBytes()),
        "the chunks, each once, in the order written");
  }

  /**
   * Streams waiting for room take turns a frame at a time: a stream that starts waiting (a ping
   * stream's answer, a small request) has at most the connection's queue and one frame of each
   * stream already waiting ahead of it, not everything those streams have queued.
   */
  @Test
  void aStreamThatStartsWaitingIsBehindAFrameOfEachStreamAlreadyWaiting() {
    int linkQueue = 1 << 20;
    int bulkStreams = 4;
    Rig r = rig(linkQueue, end -> end);
    List<YamuxStream> bulk = new ArrayList<>();
    for (int i = 0; i <= bulkStreams; i++) {
      YamuxStream s = loop.await(r.session()::open);
      loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, s.id(), 16 << 20));
      bulk.add(s);
    }
    YamuxStream small = bulk.remove(bulkStreams);
    loop.until(WAIT, () -> small.sendWindow() > 16 << 20, "windows granted");
    loop.run(() -> r.raw().end.pause());
    byte[] data = random(4 << 20, 5);
    loop.run(
        () -> {
          for (YamuxStream s : bulk) {
            for (int i = 0; i < data.length; i += 64 * 1024) {
              s.write(Buffer.buffer(java.util.Arrays.copyOfRange(data, i, i + 64 * 1024)));
            }
          }
          small.write(Buffer.buffer("pong"));
        });
    loop.run(() -> r.raw().end.resume());
    long total = (long) bulkStreams * data.length + 4;
    loop.until(WAIT, () -> r.raw().receivedData.length() >= total, "all data arrived");
    int ahead =
        loop.call(
            () -> {
              for (int i = 0; i < r.raw().received.size(); i++) {
                FrameHeader h = r.raw().received.get(i);
                if (h.type() == FrameHeader.TYPE_DATA && h.streamId() == small.id()) {
                  return r.raw().dataBefore.get(i);
                }
              }
              return -1;
            });
    assertTrue(ahead >= 0, "the small stream's data arrived");
    assertTrue(
        ahead <= linkQueue + bulkStreams * OPTS.maxFrameLength(),
        "data bytes ahead of the small stream's: " + ahead + " of " + total);
  }

  /**
   * A connection completes writes in order, some inside a later write (a flush that writes part of
   * what waited), the rest in a task of its own: those deferred because they came inside a write
   * stay ahead of those that come after them outside one, so writes are reported done in order.
   */
  @Test
  void writesAreReportedDoneInTheOrderTheConnectionCompletedThem() {
    ArrayDeque<Promise<Void>> pending = new ArrayDeque<>();
    int[] writes = {0};
    Rig r =
        rig(
            1 << 30,
            end ->
                new ForwardingDuplex(end) {
                  @Override
                  public Future<Void> write(Buffer data) {
                    Future<Void> queued = super.write(data);
                    if (writes[0]++ % 2 == 0) {
                      // A frame's header: this write also completes the oldest payload waiting.
                      Promise<Void> oldest = pending.poll();
                      if (oldest != null) {
                        oldest.tryComplete();
                      }
                      return queued;
                    }
                    // A frame's payload: completed, with all before it, by a task of its own.
                    Promise<Void> mine = Promise.promise();
                    queued.onFailure(mine::tryFail);
                    pending.add(mine);
                    loop.context.runOnContext(
                        v -> {
                          while (!pending.isEmpty()) {
                            pending.poll().tryComplete();
                          }
                        });
                    return mine.future();
                  }
                });
    YamuxStream stream = loop.await(r.session()::open);
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, 0, stream.id(), 16 << 20));
    loop.until(WAIT, () -> stream.sendWindow() > 16 << 20, "window granted");
    loop.run(() -> writes[0] = 0); // count from the first data frame's header
    int total = 200;
    List<Integer> done = new ArrayList<>();
    loop.run(
        () -> {
          for (int k = 0; k < total; k++) {
            int chunk = k;
            stream.write(Buffer.buffer(random(1024, k))).onSuccess(v -> done.add(chunk));
          }
        });
    loop.until(WAIT, () -> done.size() == total, "every write reported done");
    List<Integer> inOrder = new ArrayList<>();
    for (int k = 0; k < total; k++) {
      inOrder.add(k);
    }
    assertEquals(inOrder, loop.call(() -> new ArrayList<>(done)), "writes in the order reported");
  }
}
