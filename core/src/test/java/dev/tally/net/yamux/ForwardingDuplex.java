package dev.tally.net.yamux;

import dev.tally.net.Duplex;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/** A duplex that passes everything to another; tests override the calls they bend. */
class ForwardingDuplex implements Duplex {
  final Duplex delegate;

  ForwardingDuplex(Duplex delegate) {
    this.delegate = delegate;
  }

  @Override
  public ForwardingDuplex exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public ForwardingDuplex handler(Handler<Buffer> handler) {
    delegate.handler(handler);
    return this;
  }

  @Override
  public ForwardingDuplex pause() {
    delegate.pause();
    return this;
  }

  @Override
  public ForwardingDuplex resume() {
    delegate.resume();
    return this;
  }

  @Override
  public ForwardingDuplex fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }

  @Override
  public ForwardingDuplex endHandler(Handler<Void> endHandler) {
    delegate.endHandler(endHandler);
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
  public ForwardingDuplex setWriteQueueMaxSize(int maxSize) {
    delegate.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return delegate.writeQueueFull();
  }

  @Override
  public ForwardingDuplex drainHandler(Handler<Void> handler) {
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
}
