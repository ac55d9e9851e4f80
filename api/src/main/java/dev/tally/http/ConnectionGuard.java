package dev.tally.http;

import io.netty.channel.Channel;
import io.netty.channel.nio.AbstractNioChannel;
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
 * (themselves bounded by {@link ConcurrencyLimit}) are never displaced, and a connection whose head
 * has arrived but is not read yet is read, and so spared, before it would be closed.
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
  private final AtomicLong spared = new AtomicLong();
  private final Map<HttpConnection, Slot> slots = new ConcurrentHashMap<>();

  /** Connections waiting for a request head, oldest first; guarded by itself. */
  private final LinkedHashSet<Slot> waiting = new LinkedHashSet<>();

  /** One open connection: how many of its requests are in progress, and its head timer. */
  private static final class Slot {
    final HttpConnection connection;
    int inFlight;
    long heads;
    long headsWhenChosen;
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
      displace(oldest);
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

  /** Connections chosen for displacement that turned out to have a request head waiting. */
  public long spared() {
    return spared.get();
  }

  /**
   * Closes {@code victim} (taken off the waiting list) to make room, unless its request head has
   * already arrived. In a storm of connects the event loops spend their time registering the new
   * sockets (Netty runs queued tasks for up to a second before it polls sockets again), so the head
   * of a client that connected in the middle of the storm can sit unread in its socket while the
   * storm's newer connections make it the oldest one waiting (ADR 041). So the victim's own loop
   * first reads what its socket holds, as its next poll would have: a complete head starts a
   * request there and then, and the next oldest waiting connection is displaced instead.
   */
  private void displace(Slot victim) {
    Channel channel = channel(victim.connection);
    if (channel == null || !(channel.unsafe() instanceof AbstractNioChannel.NioUnsafe nio)) {
      displaced.incrementAndGet();
      hardClose(victim.connection);
      return;
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              if (channel.isActive()) {
                nio.read(); // a head in it reaches started() before this returns
              }
              boolean spare;
              synchronized (waiting) {
                // A head that its loop read on its own since the choice counts too.
                spare = victim.heads != victim.headsWhenChosen;
                victim.closing = !spare;
              }
              if (!spare) {
                displaced.incrementAndGet();
                channel.close();
                return;
              }
              spared.incrementAndGet();
              await(victim); // unless busy: answered already, it waits for its next head
              Slot next = oldestWaiting();
              if (next != null) {
                displace(next);
              }
            });
  }

  /** A request head arrived on {@code request}'s connection: it is busy, not waiting. */
  public void started(HttpServerRequest request) {
    Slot slot = slots.get(request.connection());
    if (slot == null) {
      return;
    }
    synchronized (waiting) {
      slot.inFlight++;
      slot.heads++;
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
      oldest.headsWhenChosen = oldest.heads;
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
    Channel channel = channel(connection);
    if (channel != null) {
      channel.close();
    } else {
      connection.close();
    }
  }

  /** The Netty channel under {@code connection}, or null for a connection that has none. */
  private static Channel channel(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel() : null;
  }

  private void cancelTimer(Slot slot) {
    if (slot.timer >= 0) {
      vertx.cancelTimer(slot.timer);
      slot.timer = -1;
    }
  }
}
