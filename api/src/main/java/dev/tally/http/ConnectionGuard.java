package dev.tally.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds one HTTP server's connections against crowds of slow clients. A new connection must send
 * its first request head within the read-header timeout, however slowly it trickles bytes (Netty's
 * idle timeout alone restarts with every byte); between requests a keep-alive connection gets the
 * idle timeout. Beyond {@code maxConnections}, a new connection closes the oldest one that is
 * waiting for a request head rather than being refused itself, so ten thousand clients that never
 * finish a request cannot lock out one that does: only connections with a request in progress
 * (themselves bounded by {@link ConcurrencyLimit}) are never displaced.
 *
 * <p>One guard serves all of a server's event loops (the daemon listens one server instance per
 * loop, ADR 028), so the limit is on the server's connections in total: its counters are atomic and
 * the waiting list and slots are guarded by the list's lock.
 */
public final class ConnectionGuard implements Handler<HttpConnection> {
  private final Vertx vertx;
  private final int maxConnections;
  private final long firstHeadMillis;
  private final long nextHeadMillis;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong displaced = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final Map<HttpConnection, Slot> slots = new ConcurrentHashMap<>();

  /** Connections waiting for a request head, oldest first; guarded by itself. */
  private final LinkedHashSet<Slot> waiting = new LinkedHashSet<>();

  /** One open connection: how many of its requests are in progress, and its head timer. */
  private static final class Slot {
    final HttpConnection connection;
    int inFlight;
    long timer = -1;
    boolean served;

    /**
     * Displaced and being closed. The close is asynchronous (a hard close queues the close event,
     * and a connection on another event loop closes on that loop), so until its close handler has
     * run the slot must not wait again: displaced a second time, one close would make room for two
     * connections and the open count would stay above the limit.
     */
    boolean closing;

    Slot(HttpConnection connection) {
      this.connection = connection;
    }
  }

  public ConnectionGuard(
      Vertx vertx, int maxConnections, Duration readHeaderTimeout, Duration idleTimeout) {
    this.vertx = vertx;
    this.maxConnections = maxConnections;
    this.firstHeadMillis = Math.max(1, readHeaderTimeout.toMillis());
    this.nextHeadMillis = Math.max(1, idleTimeout.toMillis());
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed so far to make room for a newer one. */
  public long displaced() {
    return displaced.get();
  }

  /** Connections closed so far for not sending a request head in time. */
  public long timedOut() {
    return timedOut.get();
  }

  @Override
  public void handle(HttpConnection connection) {
    if (open.incrementAndGet() > maxConnections) {
      Slot oldest = oldestWaiting();
      if (oldest == null) {
        // Every connection has a request in progress: this one has to go.
        open.decrementAndGet();
        hardClose(connection);
        return;
      }
      displaced.incrementAndGet();
      hardClose(oldest.connection); // its close handler gives its place back
    }
    Slot slot = new Slot(connection);
    slots.put(connection, slot);
    connection.closeHandler(
        v -> {
          open.decrementAndGet();
          slots.remove(connection);
          synchronized (waiting) {
            waiting.remove(slot);
            cancelTimer(slot);
          }
        });
    await(slot);
  }

  /** A request head arrived on {@code request}'s connection: it is busy, not waiting. */
  public void started(HttpServerRequest request) {
    Slot slot = slots.get(request.connection());
    if (slot == null) {
      return;
    }
    synchronized (waiting) {
      slot.inFlight++;
      slot.served = true;
      waiting.remove(slot);
      cancelTimer(slot);
    }
  }

  /** A request of {@code request}'s connection ended: with none left, it waits for the next. */
  public void finished(HttpServerRequest request) {
    Slot slot = slots.get(request.connection());
    if (slot == null) {
      return;
    }
    boolean idle;
    synchronized (waiting) {
      slot.inFlight = Math.max(0, slot.inFlight - 1);
      idle = slot.inFlight == 0;
    }
    if (idle) {
      await(slot);
    }
  }

  private void await(Slot slot) {
    synchronized (waiting) {
      if (!slots.containsKey(slot.connection) || slot.inFlight > 0 || slot.closing) {
        return;
      }
      waiting.add(slot);
      cancelTimer(slot);
      slot.timer =
          vertx.setTimer(
              slot.served ? nextHeadMillis : firstHeadMillis,
              id -> {
                boolean expired;
                synchronized (waiting) {
                  expired = slot.timer == id && waiting.remove(slot);
                  slot.closing |= expired;
                }
                if (expired) {
                  timedOut.incrementAndGet();
                  hardClose(slot.connection);
                }
              });
    }
  }

  private Slot oldestWaiting() {
    synchronized (waiting) {
      Iterator<Slot> it = waiting.iterator();
      if (!it.hasNext()) {
        return null;
      }
      Slot oldest = it.next();
      it.remove();
      oldest.closing = true;
      cancelTimer(oldest);
      return oldest;
    }
  }

  /**
   * Closes the socket at once. {@link HttpConnection#close()} is a graceful shutdown that lets a
   * request in progress finish, and a request head that is still trickling in counts as one, so the
   * very clients this guard is for would keep their sockets.
   */
  private static void hardClose(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().close();
    } else {
      connection.close();
    }
  }

  private void cancelTimer(Slot slot) {
    if (slot.timer >= 0) {
      vertx.cancelTimer(slot.timer);
      slot.timer = -1;
    }
  }
}
