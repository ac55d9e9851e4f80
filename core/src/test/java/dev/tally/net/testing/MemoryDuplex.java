package dev.tally.net.testing;

import dev.tally.net.Duplex;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * One end of an in-memory connection: bytes written to one end arrive, asynchronously and after an
 * optional delay, at the other end's handler. The writer sees {@code writeQueueFull()} while the
 * reader holds more than {@code maxQueued} undelivered bytes.
 */
public final class MemoryDuplex implements Duplex {
  private final Context context;
  private final long delayMillis;
  private final int maxQueued;
  private MemoryDuplex peer;
  private final ArrayDeque<Buffer> inbound = new ArrayDeque<>();
  private long inboundBytes;
  private long demand = Long.MAX_VALUE;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> drainHandler;
  private boolean drainWanted;
  private boolean writeEnded;
  private boolean remoteEnded;
  private final Promise<Void> closed = Promise.promise();
  public long bytesWritten;
  public int writes;

  private MemoryDuplex(Context context, long delayMillis, int maxQueued) {
    this.context = context;
    this.delayMillis = delayMillis;
    this.maxQueued = maxQueued;
  }

  public static MemoryDuplex[] pair(Context context, long delayMillis, int maxQueued) {
    MemoryDuplex a = new MemoryDuplex(context, delayMillis, maxQueued);
    MemoryDuplex b = new MemoryDuplex(context, delayMillis, maxQueued);
    a.peer = b;
    b.peer = a;
    return new MemoryDuplex[] {a, b};
  }

  private void later(Runnable r) {
    if (delayMillis == 0) {
      context.runOnContext(v -> r.run());
    } else {
      context.owner().setTimer(delayMillis, t -> context.runOnContext(v -> r.run()));
    }
  }

  @Override
  public MemoryDuplex exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public MemoryDuplex handler(Handler<Buffer> h) {
    handler = h;
    deliver();
    return this;
  }

  @Override
  public MemoryDuplex pause() {
    demand = 0;
    return this;
  }

  @Override
  public MemoryDuplex resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public MemoryDuplex fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    context.runOnContext(v -> deliver());
    return this;
  }

  @Override
  public MemoryDuplex endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (writeEnded || closed.future().isComplete()) {
      return Future.failedFuture("memory duplex closed for writing");
    }
    bytesWritten += data.length();
    writes++;
    Buffer copy = data.copy();
    peer.inboundBytes += copy.length();
    peer.later(() -> peer.arrive(copy));
    return Future.succeededFuture();
  }

  private void arrive(Buffer data) {
    if (closed.future().isComplete()) {
      return;
    }
    inbound.add(data);
    deliver();
  }

  private void deliver() {
    while (demand > 0 && handler != null && !inbound.isEmpty()) {
      Buffer next = inbound.poll();
      inboundBytes -= next.length();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(next);
    }
    if (peer.drainWanted && inboundBytes < maxQueued / 2) {
      peer.drainWanted = false;
      if (peer.drainHandler != null) {
        peer.drainHandler.handle(null);
      }
    }
    if (remoteEnded && inbound.isEmpty() && endHandler != null) {
      Handler<Void> h = endHandler;
      endHandler = null;
      h.handle(null);
    }
  }

  @Override
  public Future<Void> end() {
    if (!writeEnded) {
      writeEnded = true;
      peer.later(
          () -> {
            peer.remoteEnded = true;
            peer.deliver();
          });
    }
    return Future.succeededFuture();
  }

  @Override
  public MemoryDuplex setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    boolean full = peer.inboundBytes >= maxQueued;
    if (full) {
      drainWanted = true;
    }
    return full;
  }

  @Override
  public MemoryDuplex drainHandler(Handler<Void> h) {
    drainHandler = h;
    return this;
  }

  @Override
  public Future<Void> close() {
    if (!closed.future().isComplete()) {
      closed.complete();
      inbound.clear();
      peer.later(peer::close);
    }
    return closed.future();
  }

  @Override
  public void reset() {
    close();
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  public boolean isClosed() {
    return closed.future().isComplete();
  }
}
