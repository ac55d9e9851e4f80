package dev.tally.net.yamux;

import static dev.tally.net.yamux.FrameHeader.FLAG_ACK;
import static dev.tally.net.yamux.FrameHeader.FLAG_FIN;
import static dev.tally.net.yamux.FrameHeader.FLAG_RST;
import static dev.tally.net.yamux.FrameHeader.FLAG_SYN;
import static dev.tally.net.yamux.FrameHeader.TYPE_GO_AWAY;
import static dev.tally.net.yamux.FrameHeader.TYPE_PING;
import static dev.tally.net.yamux.FrameHeader.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class YamuxSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final YamuxOptions OPTS = YamuxOptions.defaults();

  private final Loop loop = new Loop();

  @AfterEach
  void stop() {
    loop.close();
  }

  private YamuxSession[] sessions(long delayMillis, YamuxOptions options) {
    return sessions(delayMillis, 1 << 20, options);
  }

  /** Two sessions over a link of {@code delayMillis} each way carrying {@code inFlight} bytes. */
  private YamuxSession[] sessions(long delayMillis, int inFlight, YamuxOptions options) {
    return loop.call(
        () -> {
          MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, delayMillis, inFlight);
          return new YamuxSession[] {
            YamuxSession.start(loop.context, ends[0], true, options),
            YamuxSession.start(loop.context, ends[1], false, options)
          };
        });
  }

  /** A session on one end and a raw frame peer on the other. */
  private record Rig(YamuxSession session, RawPeer raw) {}

  private Rig rig(boolean sessionIsDialer, YamuxOptions options) {
    return loop.call(
        () -> {
          MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, 1 << 20);
          YamuxSession s = YamuxSession.start(loop.context, ends[0], sessionIsDialer, options);
          return new Rig(s, new RawPeer(ends[1]));
        });
  }

  private static void echo(YamuxStream s) {
    s.handler(b -> s.write(b));
    s.endHandler(v -> s.end());
  }

  private static Future<Buffer> readAll(YamuxStream s) {
    Promise<Buffer> all = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> all.tryComplete(acc));
    s.exceptionHandler(all::tryFail);
    return all.future();
  }

  @Test
  void dialerOpensOddStreamsListenerEvenAndBothEcho() {
    YamuxSession[] s = sessions(0, OPTS);
    loop.run(() -> s[0].streamHandler(YamuxSessionTest::echo));
    loop.run(() -> s[1].streamHandler(YamuxSessionTest::echo));
    for (int side = 0; side < 2; side++) {
      YamuxSession opener = s[side];
      YamuxStream stream = loop.await(opener::open);
      assertEquals(side == 0 ? 1 : 0, stream.id() & 1, "stream id parity");
      Buffer got =
          loop.await(
              () -> {
                Future<Buffer> all = readAll(stream);
                stream.write(Buffer.buffer("hello yamux"));
                stream.end();
                return all;
              });
      assertEquals("hello yamux", got.toString());
    }
    loop.until(WAIT, () -> s[0].streamCount() == 0 && s[1].streamCount() == 0, "streams freed");
  }

  @Test
  void acceptsAckAndFinCombinedInOneDataFrame() {
    Rig r = rig(true, OPTS);
    YamuxStream stream = loop.await(r.session()::open);
    Future<Buffer> all = loop.call(() -> readAll(stream));
    // What go-yamux sends when a handler writes a reply and closes at once: ACK|FIN with data.
    loop.run(() -> r.raw().sendData(FLAG_ACK | FLAG_FIN, stream.id(), Buffer.buffer("bye")));
    assertEquals("bye", loop.await(() -> all).toString());
    loop.run(stream::end);
    loop.until(WAIT, () -> r.session().streamCount() == 0, "stream closed after both FINs");
  }

  @Test
  void sendsSynAsWindowUpdateAndAcksInboundStreams() {
    Rig r = rig(false, OPTS);
    List<YamuxStream> accepted = new ArrayList<>();
    loop.run(() -> r.session().streamHandler(accepted::add));
    // Spec example bytes: window update, SYN, stream 1, delta 0.
    loop.run(
        () -> r.raw().end.write(Buffer.buffer(new byte[] {0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0})));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_ACK) == 1, "ACK for stream 1");
    assertEquals(1, loop.call(accepted::size));
    assertEquals(
        1,
        loop.call(
            () ->
                r.raw().received.stream()
                    .filter(h -> h.has(FLAG_ACK))
                    .findFirst()
                    .orElseThrow()
                    .streamId()));
    YamuxStream mine = loop.await(r.session()::open);
    assertEquals(2, mine.id());
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 1, "SYN for stream 2");
  }

  @Test
  void neverSendsBeyondThePeersWindowAndResumesOnWindowUpdate() {
    Rig r = rig(true, OPTS);
    YamuxStream stream = loop.await(r.session()::open);
    byte[] data = new byte[600 * 1024];
    new Random(1).nextBytes(data);
    AtomicReference<Future<Void>> written = new AtomicReference<>();
    loop.run(() -> written.set(stream.write(Buffer.buffer(data))));
    loop.until(WAIT, () -> r.raw().receivedData.length() == 256 * 1024, "initial window sent");
    assertTrue(loop.call(stream::writeQueueFull), "writeQueueFull while the window is 0");
    assertEquals(0, loop.call(stream::sendWindow));
    AtomicReference<Boolean> drained = new AtomicReference<>(false);
    loop.run(() -> stream.drainHandler(v -> drained.set(true)));
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, stream.id(), 100_000));
    loop.until(WAIT, () -> r.raw().receivedData.length() == 256 * 1024 + 100_000, "+100000");
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, 0, stream.id(), 1_000_000));
    loop.until(WAIT, () -> written.get().succeeded(), "write completed");
    assertArrayEquals(data, loop.call(() -> r.raw().receivedData.getBytes()));
    assertTrue(loop.call(drained::get), "drain handler called once the window opened");
  }

  @Test
  void slowReaderStopsTheRemoteWriterAndResumingDeliversEverything() throws Exception {
    YamuxSession[] s = sessions(0, OPTS);
    AtomicReference<YamuxStream> remote = new AtomicReference<>();
    Buffer received = Buffer.buffer();
    loop.run(
        () ->
            s[1].streamHandler(
                st -> {
                  remote.set(st);
                  st.pause();
                  st.handler(received::appendBuffer);
                }));
    YamuxStream stream = loop.await(s[0]::open);
    byte[] data = new byte[4 * 1024 * 1024];
    new Random(2).nextBytes(data);
    // A well-behaved writer: write while the queue has room, else wait for drain.
    Promise<Void> done = Promise.promise();
    int[] offset = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (offset[0] < data.length && !stream.writeQueueFull()) {
            int n = Math.min(16 * 1024, data.length - offset[0]);
            stream.write(Buffer.buffer(data).slice(offset[0], offset[0] + n));
            offset[0] += n;
          }
          if (offset[0] < data.length) {
            stream.drainHandler(v -> pump[0].run());
          } else {
            stream.end().onComplete(done);
          }
        };
    loop.run(pump[0]);
    loop.until(
        WAIT,
        () -> remote.get() != null && remote.get().queuedBytes() == 256 * 1024,
        "the paused reader holds exactly one window");
    Thread.sleep(100);
    assertEquals(
        256 * 1024, loop.call(() -> remote.get().queuedBytes()), "no more than the window");
    assertTrue(
        loop.call(() -> offset[0] <= 256 * 1024 + OPTS.writeQueueMaxSize() + 16 * 1024),
        "the writer stopped: offset " + offset[0]);
    loop.run(() -> remote.get().resume());
    loop.await(done::future);
    loop.until(WAIT, () -> received.length() == data.length, "all data delivered");
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256").digest(data),
        MessageDigest.getInstance("SHA-256").digest(loop.call(received::getBytes)));
  }

  @Test
  void autoTunesTheReceiveWindowUpTo16MiBOnALatentLink() {
    // The window doubles only when half of it is consumed within four round trips, so the link
    // must not be the bottleneck: it carries 32 MiB in flight, twice the largest window (with 1 MiB
    // the link alone took about 5 of the 8 one-way delays the last doubling may take). With 50 ms
    // each way, that doubling needs 4 MiB moved in about 300 ms of CPU, which a machine at load 38
    // still does; at 5 ms it failed there, the window left at 8 MiB.
    YamuxSession[] s = sessions(50, 32 << 20, OPTS);
    AtomicReference<YamuxStream> remote = new AtomicReference<>();
    long[] received = {0};
    Promise<Void> ended = Promise.promise();
    loop.run(
        () ->
            s[1].streamHandler(
                st -> {
                  remote.set(st);
                  st.handler(b -> received[0] += b.length());
                  st.endHandler(v -> ended.complete());
                }));
    loop.until(WAIT, () -> s[0].rtt().toNanos() > 0 && s[1].rtt().toNanos() > 0, "RTT measured");
    YamuxStream stream = loop.await(s[0]::open);
    long total = 64L * 1024 * 1024;
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    Promise<Void> done = Promise.promise();
    long[] sent = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] =
        () -> {
          while (sent[0] < total && !stream.writeQueueFull()) {
            stream.write(chunk);
            sent[0] += chunk.length();
          }
          if (sent[0] < total) {
            stream.drainHandler(v -> pump[0].run());
          } else {
            stream.end().onComplete(done);
          }
        };
    loop.run(pump[0]);
    loop.await(() -> ended.future());
    assertEquals(total, loop.call(() -> received[0]));
    assertEquals(
        16L * 1024 * 1024,
        loop.call(() -> remote.get().receiveWindow()),
        "window doubled from 256 KiB to the 16 MiB maximum");
  }

  /** A memory budget counting what it granted, as the host's resource manager does. */
  private static final class Budget implements ResourceScope {
    final long limit;
    long used;
    int streams;

    Budget(long limit) {
      this.limit = limit;
    }

    @Override
    public boolean reserveStream() {
      streams++;
      return true;
    }

    @Override
    public void releaseStream() {
      streams--;
    }

    @Override
    public long reserveMemory(long bytes) {
      long granted = Math.max(0, Math.min(bytes, limit - used));
      used += granted;
      return granted;
    }

    @Override
    public void releaseMemory(long bytes) {
      used -= bytes;
    }
  }

  @Test
  void windowStaysAtTheInitialSizeWhenTheResourceScopeGrantsNoGrowth() {
    ResourceScope oneWindow = new Budget(256 * 1024);
    YamuxSession[] s =
        loop.call(
            () -> {
              MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 5, 1 << 20);
              return new YamuxSession[] {
                YamuxSession.start(loop.context, ends[0], true, OPTS),
                YamuxSession.start(loop.context, ends[1], false, OPTS, oneWindow)
              };
            });
    AtomicReference<YamuxStream> remote = new AtomicReference<>();
    Promise<Void> ended = Promise.promise();
    loop.run(
        () ->
            s[1].streamHandler(
                st -> {
                  remote.set(st);
                  st.handler(b -> {});
                  st.endHandler(v -> ended.complete());
                }));
    loop.until(WAIT, () -> s[1].rtt().toNanos() > 0, "RTT measured");
    YamuxStream stream = loop.await(s[0]::open);
    loop.run(
        () -> {
          for (int i = 0; i < 64; i++) {
            stream.write(Buffer.buffer(new byte[64 * 1024]));
          }
          stream.end();
        });
    loop.await(() -> ended.future());
    assertEquals(256 * 1024, loop.call(() -> remote.get().receiveWindow()));
  }

  @Test
  void initialWindowsOfStreamsAwaitingTheirProtocolCountAgainstMemoryUntilResetOrClosed() {
    int window = 256 * 1024;
    Budget budget = new Budget(2L * window);
    List<YamuxStream> accepted = new ArrayList<>();
    Rig r =
        loop.call(
            () -> {
              MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, 1 << 20);
              YamuxSession s = YamuxSession.start(loop.context, ends[0], false, OPTS, budget);
              // Accepted but never read: streams still waiting for protocol negotiation.
              s.streamHandler(accepted::add);
              return new Rig(s, new RawPeer(ends[1]));
            });
    loop.run(
        () -> {
          r.raw().send(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0);
          r.raw().sendData(0, 1, Buffer.buffer(new byte[1000]));
          r.raw().send(TYPE_WINDOW_UPDATE, FLAG_SYN, 3, 0);
        });
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_ACK) == 2, "two streams ACKed");
    assertEquals(2L * window, loop.call(() -> budget.used));
    // A third stream's window does not fit: refused with RST, our own open fails too.
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_SYN, 5, 0));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_RST) == 1, "stream 5 reset");
    Throwable refused =
        loop.await(() -> r.session().open().transform(ar -> Future.succeededFuture(ar.cause())));
    assertInstanceOf(YamuxException.class, refused);
    assertEquals(2L * window, loop.call(() -> budget.used));
    assertEquals(2, loop.call(() -> budget.streams));
    // The peer resets stream 1: its window is released and a new stream fits again.
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_RST, 1, 0));
    loop.until(WAIT, () -> budget.used == window, "stream 1's window released");
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_SYN, 7, 0));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_ACK) == 3, "stream 7 ACKed");
    assertEquals(2L * window, loop.call(() -> budget.used));
    // Stream 3 closed both ways (our FIN, then the peer's) releases its window too.
    loop.run(() -> accepted.get(1).close());
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_FIN) == 1, "our FIN on 3");
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_FIN, 3, 0));
    loop.until(WAIT, () -> budget.used == window, "stream 3's window released");
    // Closing the session releases the rest.
    loop.await(() -> r.session().close());
    assertEquals(0L, loop.call(() -> budget.used));
    assertEquals(0, loop.call(() -> budget.streams));
  }

  @Test
  void respondsToPingsAndMeasuresRtt() {
    Rig r = rig(true, OPTS);
    loop.run(() -> r.raw().send(TYPE_PING, FLAG_SYN, 0, 0xdeadbeefL));
    loop.until(
        WAIT,
        () ->
            r.raw().received.stream()
                .anyMatch(
                    h -> h.type() == TYPE_PING && h.has(FLAG_ACK) && h.length() == 0xdeadbeefL),
        "ping answered with the same opaque value");
    YamuxSession[] s = sessions(2, OPTS);
    Duration rtt = loop.await(s[0]::ping);
    assertTrue(rtt.toMillis() >= 4, "RTT over a 2 ms each way link: " + rtt);
  }

  /**
   * A writer that ignores writeQueueFull (an echo handler) must not bury the session's control
   * frames under its data: with the link full, a ping is answered after at most the link's queue
   * and a frame, not after everything the stream's window allows.
   */
  @Test
  void aPingIsAnsweredAheadOfDataTheLinkHasNoRoomFor() {
    int linkQueue = 64 * 1024;
    Rig r =
        loop.call(
            () -> {
              MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, linkQueue);
              YamuxSession s = YamuxSession.start(loop.context, ends[0], true, OPTS);
              return new Rig(s, new RawPeer(ends[1]));
            });
    YamuxStream stream = loop.await(r.session()::open);
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, stream.id(), 16 << 20));
    loop.until(WAIT, () -> stream.sendWindow() > 16 << 20, "window granted");
    // The raw peer stops reading: the link fills, as a slow peer's TCP window does.
    loop.run(() -> r.raw().end.pause());
    byte[] data = new byte[4 << 20];
    new Random(7).nextBytes(data);
    loop.run(
        () -> {
          for (int i = 0; i < data.length; i += 64 * 1024) {
            stream.write(Buffer.buffer(java.util.Arrays.copyOfRange(data, i, i + 64 * 1024)));
          }
        });
    loop.run(() -> r.raw().send(TYPE_PING, FLAG_SYN, 0, 0xfeedL));
    loop.run(() -> r.raw().end.resume());
    loop.until(WAIT, () -> r.raw().receivedData.length() == data.length, "all data arrived");
    int answer = -1;
    for (int i = 0; i < r.raw().received.size(); i++) {
      FrameHeader h = r.raw().received.get(i);
      if (h.type() == TYPE_PING && h.has(FLAG_ACK) && h.length() == 0xfeedL) {
        answer = i;
      }
    }
    assertTrue(answer >= 0, "the ping was answered");
    int before = r.raw().dataBefore.get(answer);
    assertTrue(
        before <= linkQueue + OPTS.maxFrameLength(),
        "data bytes ahead of the ping's answer: " + before + " of " + data.length);
    assertArrayEquals(data, r.raw().receivedData.getBytes(), "the data, in order");
  }

  @Test
  void remoteResetFailsPendingWritesAndNotifiesTheReader() {
    Rig r = rig(true, OPTS);
    YamuxStream stream = loop.await(r.session()::open);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicReference<Future<Void>> pending = new AtomicReference<>();
    loop.run(
        () -> {
          stream.exceptionHandler(seen::set);
          pending.set(stream.write(Buffer.buffer(new byte[300 * 1024])));
        });
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_RST, stream.id(), 0));
    loop.until(WAIT, () -> seen.get() != null, "reset reported");
    assertInstanceOf(StreamResetException.class, seen.get());
    assertTrue(loop.call(() -> pending.get().failed()), "write beyond the window failed");
    assertEquals(0, loop.call(r.session()::streamCount));
    assertTrue(loop.call(() -> stream.closeFuture().isComplete()));
  }

  @Test
  void ignoresFramesForUnknownStreamsAndKeepsServing() {
    Rig r = rig(false, OPTS);
    loop.run(() -> r.session().streamHandler(YamuxSessionTest::echo));
    loop.run(() -> r.raw().sendData(0, 77, Buffer.buffer(new byte[1000])));
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, 0, 79, 5000));
    loop.run(() -> r.raw().sendData(FLAG_SYN, 1, Buffer.buffer("still here")));
    loop.until(WAIT, () -> r.raw().receivedData.toString().equals("still here"), "echo");
    assertFalse(loop.call(r.session()::isClosed));
  }

  @Test
  void windowUpdateOverflowIsAProtocolError() {
    Rig r = rig(true, OPTS);
    YamuxStream stream = loop.await(r.session()::open);
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, stream.id(), 0xffff_ffffL));
    assertGoAwayProtocolError(r);
    assertTrue(loop.call(() -> stream.closeFuture().isComplete()));
  }

  @Test
  void dataBeyondTheWindowIsAProtocolError() {
    Rig r = rig(false, OPTS);
    List<YamuxStream> accepted = new ArrayList<>();
    loop.run(
        () ->
            r.session()
                .streamHandler(
                    st -> {
                      accepted.add(st);
                      st.pause();
                    }));
    loop.run(() -> r.raw().sendData(FLAG_SYN, 1, Buffer.buffer(new byte[256 * 1024])));
    loop.until(
        WAIT,
        () -> accepted.size() == 1 && accepted.get(0).queuedBytes() == 256 * 1024,
        "a full window is accepted");
    loop.run(() -> r.raw().sendData(0, 1, Buffer.buffer(new byte[1])));
    assertGoAwayProtocolError(r);
  }

  @Test
  void tenThousandSynsAreAnsweredWithResetBeyondTheStreamLimit() {
    Rig r = rig(false, OPTS);
    List<YamuxStream> accepted = new ArrayList<>();
    loop.run(() -> r.session().streamHandler(accepted::add));
    loop.run(
        () -> {
          Buffer burst = Buffer.buffer();
          for (int i = 0; i < 10_000; i++) {
            burst.appendBuffer(
                RawPeer.frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 2 * i + 1, 0, Buffer.buffer()));
          }
          r.raw().end.write(burst);
        });
    loop.until(
        WAIT,
        () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_RST) == 10_000 - 256,
        "RST for every SYN over the limit");
    assertEquals(256, loop.call(r.session()::streamCount));
    assertEquals(256, loop.call(accepted::size));
    assertEquals(256, loop.call(() -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_ACK)));
    assertFalse(loop.call(r.session()::isClosed), "the session survives and keeps serving");
    // Freeing one slot lets the next stream in.
    loop.run(() -> accepted.get(0).reset());
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_SYN, 20_001, 0));
    loop.until(WAIT, () -> accepted.size() == 257, "a stream after one was freed");
  }

  @Test
  void openFailsAtTheStreamLimit() {
    YamuxSession[] s = sessions(0, OPTS.withMaxStreams(3));
    List<YamuxStream> accepted = new ArrayList<>();
    loop.run(() -> s[1].streamHandler(accepted::add));
    for (int i = 0; i < 3; i++) {
      loop.await(s[0]::open);
    }
    loop.until(WAIT, () -> accepted.size() == 3, "peer accepted three");
    Throwable e = loop.call(() -> s[0].open().cause());
    assertInstanceOf(YamuxException.class, e);
    loop.run(() -> accepted.get(0).reset());
    loop.until(WAIT, () -> s[0].open().succeeded(), "a slot freed by the peer's reset");
  }

  @Test
  void goAwayFromThePeerStopsNewStreamsButNotOpenOnes() {
    Rig r = rig(true, OPTS);
    YamuxStream stream = loop.await(r.session()::open);
    loop.run(() -> r.raw().send(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_NORMAL));
    loop.until(WAIT, () -> r.session().open().failed(), "open refused after go-away");
    loop.run(() -> stream.write(Buffer.buffer("after go-away")));
    loop.until(WAIT, () -> r.raw().receivedData.toString().equals("after go-away"), "data");
  }

  @Test
  void closeSendsGoAwayAndResetsOpenStreams() {
    Rig r = rig(true, OPTS);
    YamuxStream stream = loop.await(r.session()::open);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> stream.exceptionHandler(seen::set));
    loop.await(r.session()::close);
    loop.until(WAIT, () -> r.raw().count(TYPE_GO_AWAY, 0) == 1, "go-away sent");
    assertInstanceOf(StreamResetException.class, seen.get());
    assertTrue(loop.call(r.raw().end::isClosed));
  }

  @Test
  void unansweredKeepAliveClosesTheSession() {
    YamuxOptions quick = OPTS.withKeepAlive(Duration.ofMillis(50), Duration.ofMillis(100));
    Rig r = rig(true, quick);
    loop.until(WAIT, () -> r.session().isClosed(), "session closed after the ping timeout");
    assertTrue(loop.call(() -> r.raw().count(TYPE_PING, FLAG_SYN)) >= 1);
  }

  @Test
  void localCloseWaitsForThePeersFinThenFreesTheStream() {
    YamuxSession[] s = sessions(0, OPTS);
    loop.run(() -> s[1].streamHandler(YamuxSessionTest::echo));
    YamuxStream stream = loop.await(s[0]::open);
    loop.run(() -> stream.write(Buffer.buffer("x")));
    loop.await(stream::close);
    assertEquals(0, loop.call(s[0]::streamCount));
    loop.until(WAIT, () -> s[1].streamCount() == 0, "remote side freed too");
  }

  private void assertGoAwayProtocolError(Rig r) {
    loop.until(WAIT, () -> r.session().isClosed(), "session closed");
    loop.until(
        WAIT,
        () ->
            r.raw().received.stream()
                .anyMatch(
                    h ->
                        h.type() == TYPE_GO_AWAY
                            && h.length() == FrameHeader.GO_AWAY_PROTOCOL_ERROR),
        "go-away with protocol error");
    assertTrue(loop.call(r.raw().end::isClosed), "connection closed");
  }
}
