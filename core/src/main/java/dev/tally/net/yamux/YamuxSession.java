package dev.tally.net.yamux;

import dev.tally.net.Duplex;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * One Yamux session over a {@link Duplex}: the per-connection state machine that opens, accepts and
 * routes streams, answers pings, sends keep-alives and tears everything down on go-away, protocol
 * errors or when the connection closes.
 *
 * <p>Everything runs on the Vert.x context the session was created on (the connection's); call its
 * methods and its streams' methods from that context only.
 */
public final class YamuxSession {
  private static final System.Logger LOG = System.getLogger(YamuxSession.class.getName());
  private static final int MAX_OUTSTANDING_PINGS = 16;

  private final Context context;
  private final Duplex conn;
  private final boolean dialer;
  private final YamuxOptions options;
  private final ResourceScope scope;
  private final FrameDecoder decoder;
  private final Map<Integer, YamuxStream> streams = new HashMap<>();
  private final Map<Long, PendingPing> pings = new HashMap<>();
  private final ArrayDeque<PendingOpen> pendingOpens = new ArrayDeque<>();
  // Streams whose data waits for room in the connection, in the order they began to wait.
  private final ArrayDeque<YamuxStream> waitingForRoom = new ArrayDeque<>();
  private final Promise<Void> closed = Promise.promise();
  private Handler<YamuxStream> streamHandler = s -> s.reset();
  private long nextStreamId;
  private long nextPingId = 1;
  private long rttNanos;
  private int writeDepth; // > 0 while this session is inside the connection's write
  private int deferredReports; // write outcomes posted to the context and not yet reported
  private long windowGrowthReserved;
  private int unackedOutbound;
  private boolean peerAcked;
  private long keepAliveTimer = -1;
  private boolean goAwaySent;
  private boolean goAwayReceived;
  private boolean discardingFrame;
  private volatile boolean ended;

  private record PendingPing(
      Promise<Duration> promise, long sentNanos, long timer, boolean keepAlive) {}

  /** An {@link #open()} held by the ACK backlog; its timer fails it after the open timeout. */
  private static final class PendingOpen {
    final Promise<YamuxStream> promise = Promise.promise();
    long timer = -1;
  }

  private YamuxSession(
      Context context, Duplex conn, boolean dialer, YamuxOptions options, ResourceScope scope) {
    this.context = context;
    this.conn = conn;
    this.dialer = dialer;
    this.options = options;
    this.scope = scope;
    this.nextStreamId = dialer ? 1 : 2;
    this.decoder = new FrameDecoder(new Router());
  }

  /**
   * Starts a session on {@code conn}; the dialer of the underlying connection uses odd stream ids,
   * the listener even ones. Must be called on {@code conn}'s context.
   */
  public static YamuxSession start(
      Context context, Duplex conn, boolean dialer, YamuxOptions options) {
    return start(context, conn, dialer, options, ResourceScope.unlimited());
  }

  /** As {@link #start(Context, Duplex, boolean, YamuxOptions)}, within shared limits. */
  public static YamuxSession start(
      Context context, Duplex conn, boolean dialer, YamuxOptions options, ResourceScope scope) {
    YamuxSession session = new YamuxSession(context, conn, dialer, options, scope);
    session.begin();
    return session;
  }

  private void begin() {
    conn.handler(this::onBytes);
    conn.exceptionHandler(e -> terminate("connection failed: " + e.getMessage()));
    conn.endHandler(v -> terminate("connection closed by peer"));
    conn.drainHandler(v -> onTransportDrainSignal());
    conn.closeFuture().onComplete(ar -> terminate("connection closed"));
    conn.resume();
    // go-yamux measures the RTT right away: the first window updates can then auto-tune.
    sendPing(false).onFailure(e -> {});
    if (!options.keepAliveInterval().isZero()) {
      keepAliveTimer =
          context
              .owner()
              .setPeriodic(
                  options.keepAliveInterval().toMillis(),
                  id -> context.runOnContext(v -> keepAlive()));
    }
  }

  /** Sets the handler for streams the peer opens; the default resets them. */
  public YamuxSession streamHandler(Handler<YamuxStream> handler) {
    this.streamHandler = handler;
    return this;
  }

  /** Whether this side dialled the underlying connection (and so uses odd stream ids). */
  public boolean isDialer() {
    return dialer;
  }

  /** Streams currently open (both directions). */
  public int streamCount() {
    return streams.size();
  }

  /** The last measured round-trip time, or zero before the first ping returned. */
  public Duration rtt() {
    return Duration.ofNanos(rttNanos);
  }

  /** Whether the session has ended (go-away, error or closed connection). */
  public boolean isClosed() {
    return ended;
  }

  /** Completes when the session and its connection have ended. */
  public Future<Void> closeFuture() {
    return closed.future();
  }

  /**
   * Opens a stream: a SYN is sent at once, and writes may follow before the peer's ACK (the spec
   * allows data in the window before the acknowledgement).
   *
   * <p>Unless the peer has acknowledged enough of our earlier streams: past the ACK backlog ({@link
   * YamuxOptions#initialAckBacklog()} until the peer's first ACK, {@link
   * YamuxOptions#maxAckBacklog()} after) the open waits, in order, until an ACK, a reset or a close
   * frees a place, and fails after {@link YamuxOptions#streamOpenTimeout()}. Waiting opens count
   * against {@link YamuxOptions#maxStreams()}, which bounds them.
   */
  public Future<YamuxStream> open() {
    if (isClosed()) {
      return Future.failedFuture(new YamuxException("Yamux session is closed"));
    }
    if (goAwaySent || goAwayReceived) {
      return Future.failedFuture(new YamuxException("Yamux session is going away"));
    }
    if (streams.size() + pendingOpens.size() >= options.maxStreams()) {
      return Future.failedFuture(
          new YamuxException(
              "Yamux stream limit reached: "
                  + options.maxStreams()
                  + " streams are open or waiting for the peer's ACK of earlier ones"));
    }
    if (pendingOpens.isEmpty() && unackedOutbound < ackBacklog()) {
      return openNow();
    }
    PendingOpen pending = new PendingOpen();
    pendingOpens.add(pending);
    pending.timer =
        context
            .owner()
            .setTimer(
                options.streamOpenTimeout().toMillis(),
                t -> context.runOnContext(v -> openTimedOut(pending)));
    return pending.promise.future();
  }

  /** Outbound streams the peer has not acknowledged (or reset) yet. */
  public int unacknowledgedStreams() {
    return unackedOutbound;
  }

  /** Opens waiting for the peer to acknowledge earlier streams. */
  public int waitingOpens() {
    return pendingOpens.size();
  }

  private int ackBacklog() {
    return peerAcked ? options.maxAckBacklog() : options.initialAckBacklog();
  }

  private Future<YamuxStream> openNow() {
    if (streams.size() >= options.maxStreams()) {
      return Future.failedFuture(
          new YamuxException(
              "Yamux stream limit reached: " + options.maxStreams() + " streams are open"));
    }
    if (nextStreamId > 0xffff_ffffL) {
      return Future.failedFuture(new YamuxException("Yamux stream ids exhausted; reconnect"));
    }
    if (!admitStream()) {
      return Future.failedFuture(
          new YamuxException(
              "stream refused by the resource manager: the peer or global limit on streams or"
                  + " on receive-window memory is reached"));
    }
    int id = (int) nextStreamId;
    nextStreamId += 2;
    YamuxStream stream = new YamuxStream(this, id, options);
    stream.awaitingAck = true;
    unackedOutbound++;
    streams.put(id, stream);
    sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_SYN, id, 0);
    return Future.succeededFuture(stream);
  }

  /** Hands freed backlog places to waiting opens, oldest first. */
  private void admitWaitingOpens() {
    while (!ended
        && !pendingOpens.isEmpty()
        && unackedOutbound < ackBacklog()
        && !goAwaySent
        && !goAwayReceived) {
      PendingOpen next = pendingOpens.poll();
      context.owner().cancelTimer(next.timer);
      openNow().onComplete(next.promise);
    }
  }

  private void openTimedOut(PendingOpen pending) {
    if (pendingOpens.remove(pending)) {
      pending.promise.tryFail(
          new YamuxException(
              "Yamux open timed out after "
                  + options.streamOpenTimeout()
                  + ": the peer has not acknowledged "
                  + unackedOutbound
                  + " earlier streams (ACK backlog "
                  + ackBacklog()
                  + ")"));
    }
  }

  private void failWaitingOpens(String reason) {
    while (!pendingOpens.isEmpty()) {
      PendingOpen p = pendingOpens.poll();
      context.owner().cancelTimer(p.timer);
      p.promise.tryFail(new YamuxException(reason));
    }
  }

  /** Sends a ping and completes with the round-trip time. */
  public Future<Duration> ping() {
    return sendPing(false);
  }

  private Future<Duration> sendPing(boolean keepAlive) {
    if (isClosed()) {
      return Future.failedFuture(new YamuxException("Yamux session is closed"));
    }
    if (pings.size() >= MAX_OUTSTANDING_PINGS) {
      return Future.failedFuture(new YamuxException("too many Yamux pings outstanding"));
    }
    long id = nextPingId;
    nextPingId = nextPingId == 0xffff_ffffL ? 1 : nextPingId + 1;
    Promise<Duration> promise = Promise.promise();
    long timer =
        context
            .owner()
            .setTimer(
                options.pingTimeout().toMillis(), t -> context.runOnContext(v -> pingTimedOut(id)));
    pings.put(id, new PendingPing(promise, System.nanoTime(), timer, keepAlive));
    sendControl(FrameHeader.TYPE_PING, FrameHeader.FLAG_SYN, 0, id);
    return promise.future();
  }

  /** Sends a normal go-away and closes the connection; streams still open are reset. */
  public Future<Void> close() {
    if (!isClosed()) {
      sendGoAway(FrameHeader.GO_AWAY_NORMAL);
      conn.close();
      terminate("session closed locally");
    }
    return closed.future();
  }

  private void keepAlive() {
    sendPing(true).onFailure(e -> {});
  }

  private void pingTimedOut(long id) {
    PendingPing ping = pings.remove(id);
    if (ping != null) {
      ping.promise.tryFail(new YamuxException("Yamux ping timed out"));
      if (!ping.keepAlive) {
        return;
      }
      LOG.log(Level.DEBUG, "Yamux keep-alive timed out; closing the session");
      conn.close();
      terminate("keep-alive ping unanswered for " + options.pingTimeout());
    }
  }

  private void onBytes(Buffer bytes) {
    try {
      decoder.feed(bytes);
    } catch (YamuxException e) {
      protocolError(e.getMessage());
    }
  }

  private void protocolError(String reason) {
    if (isClosed()) {
      return;
    }
    LOG.log(Level.INFO, "Yamux protocol error, closing the session: {0}", reason);
    sendGoAway(FrameHeader.GO_AWAY_PROTOCOL_ERROR);
    conn.close();
    terminate("protocol error: " + reason);
  }

  private void sendGoAway(int code) {
    if (!goAwaySent) {
      goAwaySent = true;
      failWaitingOpens("Yamux session is going away");
      sendControl(FrameHeader.TYPE_GO_AWAY, 0, 0, code);
    }
  }

  private void terminate(String reason) {
    if (ended) {
      return;
    }
    if (keepAliveTimer >= 0) {
      context.owner().cancelTimer(keepAliveTimer);
    }
    for (PendingPing ping : pings.values()) {
      context.owner().cancelTimer(ping.timer);
      ping.promise.tryFail(new YamuxException("Yamux session ended: " + reason));
    }
    pings.clear();
    ended = true;
    failWaitingOpens("Yamux session ended before the peer acknowledged earlier streams: " + reason);
    for (YamuxStream stream : new ArrayList<>(streams.values())) {
      stream.sessionEnded(reason);
    }
    streams.clear();
    waitingForRoom.clear();
    // Completed last, so whoever waits on it sees every stream already released.
    closed.tryComplete();
  }

  /**
   * The connection has room again. Handled on the session's context and never inside the session's
   * own write: a connection that signals from another thread (a socket on another event loop) or
   * from within a write would otherwise run the streams' flushes concurrently with, or in the
   * middle of, the session's other work. Handling it later is safe: every pass re-reads whether the
   * connection is full, and a connection that fills again signals again.
   */
  private void onTransportDrainSignal() {
    if (onSessionThread() && writeDepth == 0) {
      onTransportDrain();
    } else {
      context.runOnContext(v -> onTransportDrain());
    }
  }

  /**
   * The connection took its queue: the streams waiting for room take turns, one frame each, in the
   * order they began to wait, a stream with more to send going to the back of the line, until the
   * connection is full again (it then signals again) or no stream waits; then writers waiting for
   * room are told. A stream that starts waiting thus has at most one frame of every stream already
   * waiting ahead of it, however much those streams have queued.
   */
  private void onTransportDrain() {
    if (ended) {
      return;
    }
    while (!waitingForRoom.isEmpty() && !transportFull()) {
      YamuxStream stream = waitingForRoom.poll();
      stream.waitingForRoom = false;
      stream.takeTurn();
    }
    for (YamuxStream stream : new ArrayList<>(streams.values())) {
      stream.maybeDrain();
    }
  }

  // ---- called by streams ----

  Context context() {
    return context;
  }

  boolean transportFull() {
    return conn.writeQueueFull();
  }

  /**
   * Puts {@code stream} at the back of the line for room in the connection, which the stream found
   * full: the connection then signals when it has room again.
   */
  void waitForRoom(YamuxStream stream) {
    if (!stream.waitingForRoom && !ended) {
      stream.waitingForRoom = true;
      waitingForRoom.add(stream);
    }
  }

  long rttNanos() {
    return rttNanos;
  }

  /** Reserves window growth from the session budget; returns the bytes granted (maybe 0). */
  long reserveWindowGrowth(long wanted) {
    long local = Math.max(0, Math.min(wanted, options.maxWindowGrowth() - windowGrowthReserved));
    long granted = local == 0 ? 0 : Math.max(0, Math.min(local, scope.reserveMemory(local)));
    windowGrowthReserved += granted;
    return granted;
  }

  void releaseWindowGrowth(long bytes) {
    if (bytes > 0) {
      windowGrowthReserved -= bytes;
      scope.releaseMemory(bytes);
    }
  }

  void removeStream(YamuxStream stream) {
    if (stream.waitingForRoom) {
      stream.waitingForRoom = false;
      waitingForRoom.remove(stream);
    }
    if (streams.remove(stream.id(), stream)) {
      scope.releaseMemory(YamuxOptions.INITIAL_STREAM_WINDOW);
      scope.releaseStream();
      if (stream.awaitingAck) {
        // Reset or closed before the ACK: go-yamux frees the place too, or the backlog leaks.
        stream.awaitingAck = false;
        unackedOutbound--;
        admitWaitingOpens();
      }
    }
  }

  /**
   * Reserves a stream slot and the stream's initial receive window. The window is memory the peer
   * can fill from the SYN on, before the stream's protocol is even negotiated, so it counts against
   * the scope's memory like window growth does; released when the stream is removed.
   */
  private boolean admitStream() {
    if (!scope.reserveStream()) {
      return false;
    }
    long granted = scope.reserveMemory(YamuxOptions.INITIAL_STREAM_WINDOW);
    if (granted == YamuxOptions.INITIAL_STREAM_WINDOW) {
      return true;
    }
    if (granted > 0) {
      scope.releaseMemory(granted);
    }
    scope.releaseStream();
    return false;
  }

  Future<Void> sendControl(int type, int flags, int streamId, long length) {
    if (isClosed()) {
      return Future.failedFuture(new YamuxException("Yamux session is closed"));
    }
    Buffer frame = Buffer.buffer(FrameHeader.SIZE);
    new FrameHeader(type, flags, streamId, length).appendTo(frame);
    writeDepth++;
    try {
      return afterWrites(conn.write(frame));
    } finally {
      writeDepth--;
    }
  }

  Future<Void> sendData(int streamId, int flags, Buffer payload) {
    if (isClosed()) {
      return Future.failedFuture(new YamuxException("Yamux session is closed"));
    }
    Buffer header = Buffer.buffer(FrameHeader.SIZE);
    new FrameHeader(FrameHeader.TYPE_DATA, flags, streamId, payload.length()).appendTo(header);
    // Two writes, no concatenation: the secure channel below coalesces them into one frame.
    writeDepth++;
    try {
      conn.write(header);
      return afterWrites(conn.write(payload));
    } finally {
      writeDepth--;
    }
  }

  /** Whether the caller runs on the session's event-loop thread, which confines its state. */
  private boolean onSessionThread() {
    return ((ContextInternal) context).inThread();
  }

  /**
   * {@code written}'s outcome, reported on the session's context and outside the session's own
   * writes. A connection may complete earlier writes inside a later one (Netty's flush writes what
   * was queued before and completes its promises there): a writer that writes again when told would
   * otherwise put its frame between another frame's header and payload, or re-enter a stream's
   * flush before it has taken the piece it is sending off its queue.
   */
  private Future<Void> afterWrites(Future<Void> written) {
    if (written.isComplete()) {
      return written;
    }
    Promise<Void> reported = Promise.promise();
    written.onComplete(
        ar -> {
          if (onSessionThread()) {
            report(reported, ar);
          } else {
            context.runOnContext(v -> report(reported, ar));
          }
        });
    return reported.future();
  }

  /**
   * Reports at once when that is outside the session's writes and no earlier outcome waits to be
   * reported; otherwise after those, so outcomes are reported in the order they came.
   */
  private void report(Promise<Void> reported, AsyncResult<Void> outcome) {
    if (writeDepth == 0 && deferredReports == 0) {
      reported.handle(outcome);
      return;
    }
    deferredReports++;
    context.runOnContext(
        v -> {
          deferredReports--;
          reported.handle(outcome);
        });
  }

  /** Routes decoded frames to streams, pings and go-away handling. */
  private final class Router implements FrameDecoder.Sink {
    @Override
    public void onHeader(FrameHeader header) {
      discardingFrame = false;
      switch (header.type()) {
        case FrameHeader.TYPE_PING -> onPing(header);
        case FrameHeader.TYPE_GO_AWAY -> onGoAway(header);
        default -> onStreamHeader(header);
      }
    }

    @Override
    public void onData(FrameHeader header, Buffer piece) {
      if (discardingFrame) {
        return;
      }
      YamuxStream stream = streams.get(header.streamId());
      if (stream != null) {
        stream.onData(piece);
      }
    }

    @Override
    public void onFrameEnd(FrameHeader header) {
      if (header.type() > FrameHeader.TYPE_WINDOW_UPDATE || discardingFrame) {
        return;
      }
      YamuxStream stream = streams.get(header.streamId());
      if (stream == null) {
        return;
      }
      if (header.has(FrameHeader.FLAG_RST)) {
        stream.onRemoteReset();
      } else if (header.has(FrameHeader.FLAG_FIN)) {
        stream.onRemoteFin();
      }
    }
  }

  private void onPing(FrameHeader header) {
    if (header.streamId() != 0) {
      throw new YamuxException(
          "Yamux ping on stream " + header.unsignedStreamId() + ", expected 0");
    }
    if (header.has(FrameHeader.FLAG_SYN)) {
      sendControl(FrameHeader.TYPE_PING, FrameHeader.FLAG_ACK, 0, header.length());
    } else if (header.has(FrameHeader.FLAG_ACK)) {
      PendingPing ping = pings.remove(header.length());
      if (ping != null) {
        context.owner().cancelTimer(ping.timer);
        long rtt = Math.max(1, System.nanoTime() - ping.sentNanos);
        rttNanos = rtt;
        ping.promise.tryComplete(Duration.ofNanos(rtt));
      }
    }
  }

  private void onGoAway(FrameHeader header) {
    goAwayReceived = true;
    failWaitingOpens("Yamux peer sent go-away; no new streams");
    if (header.length() != FrameHeader.GO_AWAY_NORMAL) {
      LOG.log(Level.INFO, "Yamux peer sent go-away with error code {0}", header.length());
    }
  }

  private void onStreamHeader(FrameHeader header) {
    int id = header.streamId();
    if (id == 0) {
      throw new YamuxException(
          "Yamux " + header + " on stream 0, which is reserved for the session");
    }
    YamuxStream stream = streams.get(id);
    if (header.has(FrameHeader.FLAG_SYN)) {
      if (stream != null) {
        throw new YamuxException(
            "Yamux SYN for stream " + header.unsignedStreamId() + " already open");
      }
      boolean peerParity = (id & 1) == (dialer ? 0 : 1);
      if (!peerParity) {
        throw new YamuxException(
            "Yamux SYN with stream id "
                + header.unsignedStreamId()
                + " of our parity; the "
                + (dialer ? "listener uses even" : "dialer uses odd")
                + " ids");
      }
      if (goAwaySent || streams.size() >= options.maxStreams() || !admitStream()) {
        sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_RST, id, 0);
        discardingFrame = true;
        return;
      }
      stream = new YamuxStream(this, id, options);
      streams.put(id, stream);
      sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_ACK, id, 0);
      streamHandler.handle(stream);
      if (streams.get(id) != stream) {
        discardingFrame = true;
        return;
      }
    }
    if (stream == null) {
      // Frames for streams we just reset or closed keep arriving for a while; drop them.
      discardingFrame = true;
      return;
    }
    boolean acked = header.has(FrameHeader.FLAG_ACK) && stream.awaitingAck;
    if (acked) {
      stream.awaitingAck = false;
      unackedOutbound--;
      peerAcked = true;
    }
    if (header.type() == FrameHeader.TYPE_WINDOW_UPDATE) {
      stream.onWindowUpdate(header.length());
    } else {
      stream.onDataHeader(header.length());
    }
    if (acked) {
      admitWaitingOpens();
    }
  }
}
