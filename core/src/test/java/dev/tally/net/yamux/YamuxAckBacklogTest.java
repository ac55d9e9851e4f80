package dev.tally.net.yamux;

import static dev.tally.net.yamux.FrameHeader.FLAG_ACK;
import static dev.tally.net.yamux.FrameHeader.FLAG_RST;
import static dev.tally.net.yamux.FrameHeader.FLAG_SYN;
import static dev.tally.net.yamux.FrameHeader.TYPE_GO_AWAY;
import static dev.tally.net.yamux.FrameHeader.TYPE_WINDOW_UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ACK backlog (spec "Implementation considerations"; ADR 030): streams we open beyond the
 * number the peer has not acknowledged wait, without blocking, until an ACK, a reset or a close
 * frees a place. The backlog is {@code initialAckBacklog} until the peer's first ACK (js-libp2p
 * aborts a connection that gets more than 10 streams before it has set it up), {@code
 * maxAckBacklog} after.
 */
class YamuxAckBacklogTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Loop loop = new Loop();

  @AfterEach
  void stop() {
    loop.close();
  }

  private record Rig(YamuxSession session, RawPeer raw) {}

  private Rig rig(YamuxOptions options) {
    return loop.call(
        () -> {
          MemoryDuplex[] ends = MemoryDuplex.pair(loop.context, 0, 1 << 20);
          return new Rig(
              YamuxSession.start(loop.context, ends[0], true, options), new RawPeer(ends[1]));
        });
  }

  private List<Future<YamuxStream>> openMany(Rig r, int n) {
    return loop.call(
        () -> {
          List<Future<YamuxStream>> all = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            all.add(r.session().open());
          }
          return all;
        });
  }

  private long syns(Rig r) {
    return loop.call(() -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN));
  }

  private long completed(List<Future<YamuxStream>> opens) {
    return loop.call(() -> opens.stream().filter(Future::succeeded).count());
  }

  /** Lets every frame in flight arrive, so a count that should stay put had a chance to move. */
  private void settle(Rig r) {
    long answered = loop.call(() -> r.raw().count(FrameHeader.TYPE_PING, FLAG_ACK));
    loop.run(() -> r.raw().send(FrameHeader.TYPE_PING, FLAG_SYN, 0, 77));
    loop.until(
        WAIT,
        () -> r.raw().count(FrameHeader.TYPE_PING, FLAG_ACK) > answered,
        "the session answered a ping sent after everything before it");
  }

  @Test
  void defaultsHoldTheEleventhStreamUntilThePeerAcknowledgesOne() {
    YamuxOptions defaults = YamuxOptions.defaults();
    assertEquals(10, defaults.initialAckBacklog(), "js-libp2p's maxEarlyStreams");
    assertEquals(256, defaults.maxAckBacklog(), "the spec's and go-yamux's backlog");
    Rig r = rig(defaults.withMaxStreams(1024));
    List<Future<YamuxStream>> opens = openMany(r, 300);
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 10, "ten SYNs");
    settle(r);
    assertEquals(10, syns(r), "the eleventh stream waits for an ACK");
    assertEquals(10, completed(opens));
    assertEquals(290, loop.call(r.session()::waitingOpens));
    // The peer's first ACK shows it has set the connection up: the backlog widens to 256.
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, 1, 0));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 257, "256 unacked");
    settle(r);
    assertEquals(257, syns(r));
    assertEquals(256, loop.call(r.session()::unacknowledgedStreams));
    // Each further ACK lets exactly one more through.
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_ACK, 3, 0));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 258, "one more");
    settle(r);
    assertEquals(258, syns(r));
    assertEquals(258, completed(opens));
    assertFalse(loop.call(r.session()::isClosed));
  }

  @Test
  void ackResetAndLocalResetEachFreeOnePlaceInOrder() {
    Rig r = rig(YamuxOptions.defaults().withAckBacklog(2, 3));
    List<Future<YamuxStream>> opens = openMany(r, 8);
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 2, "two SYNs");
    settle(r);
    assertEquals(2, syns(r));
    // An ACK carried by a data frame counts like one on a window update; the backlog becomes 3.
    loop.run(() -> r.raw().sendData(FLAG_ACK, 1, Buffer.buffer("hi")));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 4, "two more");
    settle(r);
    assertEquals(4, syns(r));
    // The peer refuses stream 3 (RST): its place goes to the next open.
    loop.run(() -> r.raw().send(TYPE_WINDOW_UPDATE, FLAG_RST, 3, 0));
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 5, "one after RST");
    // We reset stream 5 before its ACK: its place is freed too.
    loop.run(() -> opens.get(2).result().reset());
    loop.until(WAIT, () -> r.raw().count(TYPE_WINDOW_UPDATE, FLAG_SYN) == 6, "one after reset");
    settle(r);
    assertEquals(6, syns(r));
    // Opens complete in the order they were asked for, with ids in that order.
    List<Integer> ids =
        loop.call(
            () -> opens.stream().filter(Future::succeeded).map(f -> f.result().id()).toList());
    assertEquals(List.of(1, 3, 5, 7, 9, 11), ids);
    assertEquals(2, loop.call(r.session()::waitingOpens));
  }

  @Test
  void waitingOpensFailAfterTheOpenTimeout() {
    Rig r =
        rig(
            YamuxOptions.defaults()
                .withAckBacklog(1, 1)
                .withStreamOpenTimeout(Duration.ofMillis(200)));
    List<Future<YamuxStream>> opens = openMany(r, 2);
    loop.until(WAIT, () -> opens.get(1).failed(), "the held open failed");
    Throwable e = loop.call(() -> opens.get(1).cause());
    assertInstanceOf(YamuxException.class, e);
    assertTrue(e.getMessage().contains("not acknowledged"), e.getMessage());
    assertTrue(loop.call(() -> opens.get(0).succeeded()));
    assertEquals(0, loop.call(r.session()::waitingOpens));
    assertFalse(loop.call(r.session()::isClosed), "only the open fails, not the session");
  }

  @Test
  void waitingOpensCountAgainstTheStreamLimit() {
    Rig r = rig(YamuxOptions.defaults().withAckBacklog(1, 1).withMaxStreams(3));
    List<Future<YamuxStream>> opens = openMany(r, 4);
    Throwable e = loop.call(() -> opens.get(3).cause());
    assertInstanceOf(YamuxException.class, e, "the fourth open over maxStreams 3 fails at once");
    assertEquals(2, loop.call(r.session()::waitingOpens));
  }

  @Test
  void waitingOpensFailWhenThePeerGoesAwayOrTheSessionCloses() {
    Rig r = rig(YamuxOptions.defaults().withAckBacklog(1, 1));
    List<Future<YamuxStream>> opens = openMany(r, 3);
    loop.run(() -> r.raw().send(TYPE_GO_AWAY, 0, 0, FrameHeader.GO_AWAY_NORMAL));
    loop.until(WAIT, () -> opens.get(1).failed() && opens.get(2).failed(), "held opens failed");
    assertTrue(loop.call(() -> opens.get(0).succeeded()), "the open stream stays");

    Rig r2 = rig(YamuxOptions.defaults().withAckBacklog(1, 1));
    List<Future<YamuxStream>> more = openMany(r2, 2);
    loop.run(r2.session()::close);
    loop.until(WAIT, () -> more.get(1).failed(), "held open failed on close");
    assertInstanceOf(YamuxException.class, loop.call(() -> more.get(1).cause()));
  }

  @Test
  void optionsRejectABacklogBelowOneOrAMaximumBelowTheInitial() {
    YamuxOptions d = YamuxOptions.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withAckBacklog(0, 256));
    assertThrows(IllegalArgumentException.class, () -> d.withAckBacklog(20, 10));
    assertThrows(IllegalArgumentException.class, () -> d.withStreamOpenTimeout(Duration.ZERO));
  }
}
