package dev.tally.net.host;

import dev.tally.net.Connection;
import dev.tally.net.Direction;
import dev.tally.net.Duplex;
import dev.tally.net.Stream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Supplier;

/**
 * A negotiated stream. Calls made off the connection's context are forwarded to it, since the Yamux
 * stream underneath is confined to that context.
 */
final class HostStream implements Stream {
  private final Context context;
  private final Duplex delegate;
  private final String protocol;
  private final Connection connection;
  private final Direction direction;

  HostStream(
      Context context,
      Duplex delegate,
      String protocol,
      Connection connection,
      Direction direction) {
    this.context = context;
    this.delegate = delegate;
    this.protocol = protocol;
    this.connection = connection;
    this.direction = direction;
  }

  private void on(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private <T> Future<T> onFuture(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public Connection connection() {
    return connection;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public HostStream exceptionHandler(Handler<Throwable> handler) {
    on(() -> delegate.exceptionHandler(handler));
    return this;
  }

  @Override
  public HostStream handler(Handler<Buffer> handler) {
    on(() -> delegate.handler(handler));
    return this;
  }

  @Override
  public HostStream pause() {
    on(delegate::pause);
    return this;
  }

  @Override
  public HostStream resume() {
    on(delegate::resume);
    return this;
  }

  @Override
  public HostStream fetch(long amount) {
    on(() -> delegate.fetch(amount));
    return this;
  }

  @Override
  public HostStream endHandler(Handler<Void> endHandler) {
    on(() -> delegate.endHandler(endHandler));
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return onFuture(() -> delegate.write(data));
  }

  @Override
  public Future<Void> end() {
    return onFuture(delegate::end);
  }

  @Override
  public HostStream setWriteQueueMaxSize(int maxSize) {
    on(() -> delegate.setWriteQueueMaxSize(maxSize));
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return delegate.writeQueueFull();
  }

  @Override
  public HostStream drainHandler(Handler<Void> handler) {
    on(() -> delegate.drainHandler(handler));
    return this;
  }

  @Override
  public Future<Void> close() {
    return onFuture(delegate::close);
  }

  @Override
  public void reset() {
    on(delegate::reset);
  }

  @Override
  public Future<Void> closeFuture() {
    return delegate.closeFuture();
  }

  @Override
  public String toString() {
    return "Stream[" + protocol + " " + direction + " " + connection.remotePeer() + "]";
  }
}
