package dev.tally.net.multistream;

import dev.tally.net.Duplex;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * A duplex whose reads start with bytes already taken off the underlying one (those that arrived
 * with the last negotiation message), then continue with the underlying stream. Writes pass
 * through. The underlying duplex stays paused until the prefix has been delivered, so ordering and
 * back-pressure hold across the hand-over.
 */
public final class PrefixedDuplex implements Duplex {
  private final Context context;
  private final Duplex delegate;
  private Buffer prefix;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean attached;
  private boolean endedWhileDetached;
  private boolean drainScheduled;

  /**
   * Wraps {@code delegate}, pausing it; {@code context} is the one the delegate's handlers run on.
   */
  public PrefixedDuplex(Context context, Duplex delegate, Buffer prefix) {
    this.context = Objects.requireNonNull(context, "context");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.prefix = prefix.length() == 0 ? null : prefix;
    delegate.pause();
    delegate.handler(this::onDelegateData);
    delegate.endHandler(this::onDelegateEnd);
  }

  private void onDelegateData(Buffer b) {
    Handler<Buffer> h = handler;
    if (h != null) {
      h.handle(b);
    }
  }

  private void onDelegateEnd(Void v) {
    if (attached) {
      Handler<Void> h = endHandler;
      if (h != null) {
        h.handle(null);
      }
    } else {
      endedWhileDetached = true;
    }
  }

  private void scheduleDrain() {
    if (!attached && !drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    drainScheduled = false;
    if (attached || handler == null || demand == 0) {
      return;
    }
    if (prefix != null) {
      Buffer p = prefix;
      prefix = null;
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(p);
    }
    if (prefix == null && !attached) {
      attached = true;
      if (endedWhileDetached) {
        Handler<Void> h = endHandler;
        if (h != null) {
          h.handle(null);
        }
      } else if (demand == Long.MAX_VALUE) {
        delegate.resume();
      } else if (demand > 0) {
        delegate.fetch(demand);
      }
    }
  }

  @Override
  public PrefixedDuplex handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler != null) {
      scheduleDrain();
    }
    return this;
  }

  @Override
  public PrefixedDuplex pause() {
    demand = 0;
    if (attached) {
      delegate.pause();
    }
    return this;
  }

  @Override
  public PrefixedDuplex resume() {
    demand = Long.MAX_VALUE;
    if (attached) {
      delegate.resume();
    } else {
      scheduleDrain();
    }
    return this;
  }

  @Override
  public PrefixedDuplex fetch(long amount) {
    if (attached) {
      delegate.fetch(amount);
    } else {
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      scheduleDrain();
    }
    return this;
  }

  @Override
  public PrefixedDuplex endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public PrefixedDuplex exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return delegate.write(data);
  }

  @Override
  public Future<Void> end() {
    return delegate.end();
  }

  @Override
  public PrefixedDuplex setWriteQueueMaxSize(int maxSize) {
    delegate.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return delegate.writeQueueFull();
  }

  @Override
  public PrefixedDuplex drainHandler(Handler<Void> handler) {
    delegate.drainHandler(handler);
    return this;
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public void reset() {
    delegate.reset();
  }

  @Override
  public Future<Void> closeFuture() {
    return delegate.closeFuture();
  }

  /** The duplex underneath (e.g. to read a TCP connection's addresses). */
  public Duplex unwrap() {
    return delegate;
  }

  @Override
  public String toString() {
    return "PrefixedDuplex(" + delegate + ")";
  }
}
