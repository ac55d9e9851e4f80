package dev.tally.net.yamux;

import dev.tally.net.Duplex;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayDeque;

/**
 * One Yamux stream, a {@link Duplex} with flow control in both directions.
 *
 * <p>Receiving: the peer may send only what we granted ({@code recvCredit}); data the application
 * has not consumed (paused, or no handler yet) stays queued and is not re-granted, so a slow reader
 * stops the remote writer. Consumed bytes are re-granted once half the window is used; if that
 * happened within four round trips the window doubles, up to the configured maximum, as go-yamux
 * does.
 *
 * <p>Sending: never more than the peer's window, and nothing while the connection below is full;
 * the rest waits in a local queue bounded by {@code writeQueueFull()}, which also reports a full
 * connection. Streams waiting for room take turns a frame at a time when it drains (ADR 043).
 *
 * <p>Received pieces are slices of the connection's read arrays (a Noise frame's plaintext, up to
 * 64 KiB). A piece handed on at once costs nothing; a piece left queued for a reader that is not
 * reading is copied out when its array is more than {@link YamuxOptions#queuedRetentionRatio()}
 * times its length, so a paused reader holding many small pieces does not pin a whole array for
 * each (ADR 030).
 */
public final class YamuxStream implements Duplex {
  private final YamuxSession session;
  private final int id;
  private final YamuxOptions options;

  // receive side
  private final ArrayDeque<Buffer> inbound = new ArrayDeque<>();
  // The queue's last element when it is a buffer of our own that copied pieces are appended to.
  private Buffer compacted;
  // What the queue's last element slices when it was queued uncopied (byte[] or root ByteBuf).
  private Object lastSliceArray;
  private long recvWindow = YamuxOptions.INITIAL_STREAM_WINDOW;
  private long recvCredit = YamuxOptions.INITIAL_STREAM_WINDOW;
  private long unacked;
  private long queuedBytes;
  private long epochStart = System.nanoTime();
  private long demand = Long.MAX_VALUE;
  private boolean delivering;
  private boolean remoteFin;
  private boolean endDelivered;
  private boolean readDiscarded;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  // send side
  private final ArrayDeque<PendingWrite> outbound = new ArrayDeque<>();
  private long sendWindow = YamuxOptions.INITIAL_STREAM_WINDOW;
  private long outboundBytes;
  private int writeQueueMaxSize;
  private boolean endRequested;
  private boolean finSent;
  private boolean drainWanted;
  private Promise<Void> endPromise;
  private Handler<Void> drainHandler;

  private boolean finished;
  private long closeTimer = -1;
  private final Promise<Void> closed = Promise.promise();

  /** Opened by us and not yet acknowledged by the peer: holds a place in the ACK backlog. */
  boolean awaitingAck;

  /** In the session's line of streams waiting for room in the connection. */
  boolean waitingForRoom;

  private static final class PendingWrite {
    Buffer data;
    final Promise<Void> promise;

    PendingWrite(Buffer data, Promise<Void> promise) {
      this.data = data;
      this.promise = promise;
    }
  }

  YamuxStream(YamuxSession session, int id, YamuxOptions options) {
    this.session = session;
    this.id = id;
    this.options = options;
    this.writeQueueMaxSize = options.writeQueueMaxSize();
  }

  /** The stream id (unsigned 32 bits, carried in an int). */
  public int id() {
    return id;
  }

  /** The session this stream belongs to. */
  public YamuxSession session() {
    return session;
  }

  /** The current receive window target (grows by auto-tuning). */
  public long receiveWindow() {
    return recvWindow;
  }

  /** Bytes received but not yet consumed by the application. */
  public long queuedBytes() {
    return queuedBytes;
  }

  /** Bytes the peer currently lets us send. */
  public long sendWindow() {
    return sendWindow;
  }

  // ---------------------------------------------------------------- ReadStream

  @Override
  public YamuxStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public YamuxStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler != null) {
      deliver();
    }
    return this;
  }

  @Override
  public YamuxStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public YamuxStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public YamuxStream fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch amount must be >= 0, got " + amount);
    }
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    deliver();
    return this;
  }

  @Override
  public YamuxStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    deliver();
    return this;
  }

  // ---------------------------------------------------------------- WriteStream

  @Override
  public Future<Void> write(Buffer data) {
    if (finished || endRequested) {
      return Future.failedFuture(
          new YamuxException(
              "Yamux stream " + Integer.toUnsignedString(id) + " is closed for writing"));
    }
    if (data.length() == 0) {
      return Future.succeededFuture();
    }
    if (outbound.isEmpty()
        && sendWindow >= data.length()
        && data.length() <= options.maxFrameLength()
        && !session.transportFull()) {
      sendWindow -= data.length();
      return session.sendData(id, 0, data);
    }
    Promise<Void> promise = Promise.promise();
    outbound.add(new PendingWrite(data, promise));
    outboundBytes += data.length();
    flush();
    return promise.future();
  }

  @Override
  public Future<Void> end() {
    if (endPromise != null) {
      return endPromise.future();
    }
    endPromise = Promise.promise();
    if (finished) {
      endPromise.tryComplete();
      return endPromise.future();
    }
    endRequested = true;
    flush();
    return endPromise.future();
  }

  @Override
  public YamuxStream setWriteQueueMaxSize(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("write queue max size must be positive, got " + maxSize);
    }
    this.writeQueueMaxSize = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    boolean full = isFull();
    if (full) {
      drainWanted = true;
    }
    return full;
  }

  private boolean isFull() {
    return !finished
        && (sendWindow == 0 || outboundBytes >= writeQueueMaxSize || session.transportFull());
  }

  @Override
  public YamuxStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  // ---------------------------------------------------------------- Duplex

  /**
   * Half-closes our side (FIN after queued data), discards what the peer still sends, and resets
   * the stream if the peer has not closed its side within the configured timeout.
   */
  @Override
  public Future<Void> close() {
    if (finished) {
      return closed.future();
    }
    readDiscarded = true;
    dropInbound();
    end();
    if (!finished && !remoteFin && closeTimer < 0) {
      closeTimer =
          session
              .context()
              .owner()
              .setTimer(
                  options.streamCloseTimeout().toMillis(),
                  t -> session.context().runOnContext(v -> reset()));
    }
    return closed.future();
  }

  @Override
  public void reset() {
    if (finished) {
      return;
    }
    session.sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_RST, id, 0);
    finish(
        new StreamResetException(
            "Yamux stream " + Integer.toUnsignedString(id) + " was reset locally"),
        false);
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  // ---------------------------------------------------------------- from the session

  void onWindowUpdate(long delta) {
    if (sendWindow + delta > 0xffff_ffffL) {
      throw new YamuxException(
          "Yamux window update of "
              + delta
              + " overflows stream "
              + Integer.toUnsignedString(id)
              + "'s send window of "
              + sendWindow
              + " beyond 2^32-1");
    }
    sendWindow += delta;
    if (delta > 0) {
      flush();
      maybeDrain();
    }
  }

  void onDataHeader(long length) {
    if (length > recvCredit) {
      throw new YamuxException(
          "Yamux peer sent "
              + length
              + " bytes on stream "
              + Integer.toUnsignedString(id)
              + " but its window was "
              + recvCredit);
    }
    recvCredit -= length;
  }

  void onData(Buffer piece) {
    if (readDiscarded || remoteFin || finished) {
      unacked += piece.length();
      maybeGrant();
      return;
    }
    inbound.add(piece);
    queuedBytes += piece.length();
    deliver();
    if (inbound.peekLast() == piece) {
      compactTail(piece);
    }
  }

  /** Pieces shorter than this are always copied when queued: a copy is cheaper than an object. */
  private static final int SMALL_PIECE = 1024;

  /**
   * {@code piece} was not taken by the reader and is the queue's last element. It stays a slice if
   * it fills at least 1/ratio of its array, or if the piece queued before it is an uncopied slice
   * of the same array (a frame split between two reads: the array is kept alive anyway). Otherwise
   * it is copied, appended to the previous copy when that is the element before it.
   */
  private void compactTail(Buffer piece) {
    int length = piece.length();
    if (length >= SMALL_PIECE) {
      Object array = backingArray(piece);
      boolean sameAsPrevious = array == lastSliceArray && inbound.size() >= 2;
      if (sameAsPrevious
          || capacityOf(array, length) <= (long) options.queuedRetentionRatio() * length) {
        lastSliceArray = array;
        return;
      }
    }
    lastSliceArray = null;
    inbound.pollLast();
    if (compacted != null && inbound.peekLast() == compacted) {
      // The buffer grows by doubling, so it keeps at most twice what it holds.
      compacted.appendBuffer(piece);
    } else {
      compacted = Buffer.buffer(length).appendBuffer(piece);
      inbound.add(compacted);
    }
  }

  /** The array (or, off-heap, the root buffer) behind {@code b}, which a slice keeps alive. */
  private static Object backingArray(Buffer b) {
    if (!(b instanceof BufferInternal internal)) {
      return b;
    }
    ByteBuf buf = internal.getByteBuf();
    if (buf.hasArray()) {
      return buf.array();
    }
    while (buf.unwrap() != null) {
      buf = buf.unwrap();
    }
    return buf;
  }

  private static long capacityOf(Object array, int length) {
    if (array instanceof byte[] bytes) {
      return bytes.length;
    }
    return array instanceof ByteBuf buf ? buf.capacity() : length;
  }

  void onRemoteFin() {
    if (remoteFin) {
      return;
    }
    remoteFin = true;
    deliver();
    maybeFinished();
  }

  void onRemoteReset() {
    finish(
        new StreamResetException(
            "Yamux stream " + Integer.toUnsignedString(id) + " was reset by the peer"),
        true);
  }

  void sessionEnded(String reason) {
    if (!finished) {
      finish(new StreamResetException("Yamux session ended: " + reason), !endDelivered);
    }
  }

  void maybeDrain() {
    if (drainWanted && !isFull()) {
      drainWanted = false;
      Handler<Void> h = drainHandler;
      if (h != null) {
        h.handle(null);
      }
    }
  }

  // ---------------------------------------------------------------- internals

  private void deliver() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (demand > 0 && handler != null && !inbound.isEmpty()) {
        Buffer next = inbound.poll();
        if (next == compacted) {
          compacted = null;
        }
        if (inbound.isEmpty()) {
          lastSliceArray = null;
        }
        queuedBytes -= next.length();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        unacked += next.length();
        maybeGrant();
        handler.handle(next);
      }
      if (remoteFin && inbound.isEmpty() && !endDelivered && !readDiscarded) {
        endDelivered = true;
        Handler<Void> h = endHandler;
        if (h != null) {
          h.handle(null);
        }
      }
    } finally {
      delivering = false;
    }
  }

  /** Re-grants consumed bytes once half the window is used, growing the window if it was fast. */
  private void maybeGrant() {
    if (finished || remoteFin || unacked < recvWindow / 2) {
      return;
    }
    long now = System.nanoTime();
    long rtt = session.rttNanos();
    long delta = unacked;
    if (rtt > 0 && now - epochStart < 4 * rtt && recvWindow < options.maxStreamWindow()) {
      long target = Math.min(recvWindow * 2, options.maxStreamWindow());
      long grow = session.reserveWindowGrowth(target - recvWindow);
      recvWindow += grow;
      delta += grow;
    }
    epochStart = now;
    unacked = 0;
    recvCredit += delta;
    session.sendControl(FrameHeader.TYPE_WINDOW_UPDATE, 0, id, delta);
  }

  /**
   * Sends queued data within the peer's window while the connection takes more. Data beyond what
   * the connection queues waits here, not in the connection, so the session's control frames (ping
   * answers, window updates, resets) and other streams' data are never queued behind megabytes of
   * this stream's: a peer that pings during a bulk transfer (js-libp2p's connection monitor aborts
   * the connection after 5 s) gets its answer after at most the connection's own queue and a frame
   * of each stream waiting. A stream that finds the connection full joins the session's line and
   * sends again when its turn comes ({@link #takeTurn}).
   */
  private void flush() {
    while (hasDataToSend()) {
      if (session.transportFull()) {
        session.waitForRoom(this);
        return;
      }
      sendPiece();
    }
    sendFinIfDue();
  }

  /** The session's drain gave this stream a turn: one frame, then the back of the line. */
  void takeTurn() {
    if (hasDataToSend()) {
      sendPiece();
    }
    if (hasDataToSend()) {
      session.waitForRoom(this);
    } else {
      sendFinIfDue();
    }
  }

  private boolean hasDataToSend() {
    return !outbound.isEmpty() && sendWindow > 0 && !finished;
  }

  /** Sends the next piece of queued data the peer's window allows, at most a frame. */
  private void sendPiece() {
    PendingWrite head = outbound.peek();
    int n = (int) Math.min(Math.min(sendWindow, options.maxFrameLength()), head.data.length());
    // The piece leaves the queue before it is sent, so whatever the send sets off sees the queue
    // as it now is.
    Buffer piece;
    Promise<Void> done = null;
    if (n == head.data.length()) {
      outbound.poll();
      piece = head.data;
      done = head.promise;
    } else {
      piece = head.data.slice(0, n);
      head.data = head.data.slice(n, head.data.length());
    }
    sendWindow -= n;
    outboundBytes -= n;
    Future<Void> sent = session.sendData(id, 0, piece);
    if (done != null) {
      relay(sent, done);
    }
  }

  /** Sends the FIN once everything written before {@link #end()} has gone. */
  private void sendFinIfDue() {
    if (endRequested && outbound.isEmpty() && !finSent && !finished) {
      finSent = true;
      Future<Void> fin =
          session.sendControl(FrameHeader.TYPE_WINDOW_UPDATE, FrameHeader.FLAG_FIN, id, 0);
      relay(fin, endPromise);
      maybeFinished();
    }
  }

  /** Completes {@code promise} with {@code f} unless a reset already failed it. */
  private static void relay(Future<Void> f, Promise<Void> promise) {
    f.onComplete(
        ar -> {
          if (ar.succeeded()) {
            promise.tryComplete();
          } else {
            promise.tryFail(ar.cause());
          }
        });
  }

  private void dropInbound() {
    while (!inbound.isEmpty()) {
      Buffer b = inbound.poll();
      queuedBytes -= b.length();
      compacted = null;
      lastSliceArray = null;
      unacked += b.length();
    }
    maybeGrant();
  }

  private void maybeFinished() {
    if (finSent && remoteFin && !finished) {
      finished = true;
      cleanup();
    }
  }

  private void finish(Throwable cause, boolean notify) {
    if (finished) {
      return;
    }
    finished = true;
    inbound.clear();
    compacted = null;
    lastSliceArray = null;
    queuedBytes = 0;
    for (PendingWrite w : outbound) {
      w.promise.tryFail(cause);
    }
    outbound.clear();
    outboundBytes = 0;
    if (endPromise != null) {
      endPromise.tryFail(cause);
    }
    cleanup();
    Handler<Throwable> h = exceptionHandler;
    if (notify && h != null) {
      h.handle(cause);
    }
  }

  private void cleanup() {
    if (closeTimer >= 0) {
      session.context().owner().cancelTimer(closeTimer);
      closeTimer = -1;
    }
    session.releaseWindowGrowth(recvWindow - YamuxOptions.INITIAL_STREAM_WINDOW);
    session.removeStream(this);
    closed.tryComplete();
  }

  @Override
  public String toString() {
    return "YamuxStream[" + Integer.toUnsignedString(id) + "]";
  }
}
