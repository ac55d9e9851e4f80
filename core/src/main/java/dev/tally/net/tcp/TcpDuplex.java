package dev.tally.net.tcp;

import dev.tally.multiformats.Multiaddr;
import dev.tally.net.Duplex;
import io.netty.channel.ChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * One TCP connection. Reads, writes and back-pressure map one to one onto the Vert.x socket; {@link
 * #end()} closes the socket once queued writes are flushed (Vert.x sockets do not half-close);
 * {@link #reset()} closes with SO_LINGER 0 so the peer sees an RST.
 */
public final class TcpDuplex implements Duplex {
  private final NetSocket socket;
  private final Promise<Void> closed = Promise.promise();
  private final Multiaddr localAddress;
  private final Multiaddr remoteAddress;
  // Set once a reader sets a handler or controls the flow itself; until then reads are held.
  private boolean flowControlled;

  TcpDuplex(NetSocket socket) {
    this.socket = socket;
    this.localAddress = TcpAddresses.toMultiaddr(socket.localAddress());
    this.remoteAddress = TcpAddresses.toMultiaddr(socket.remoteAddress());
    socket.closeHandler(v -> closed.tryComplete());
    // A Vert.x socket without a handler drops what arrives (e.g. the responder's multistream
    // header racing the dial future), so hold reads until the first reader takes over.
    socket.pause();
  }

  public Multiaddr localAddress() {
    return localAddress;
  }

  /** The peer's address as this side observes it (for identify's observedAddr). */
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public TcpDuplex exceptionHandler(Handler<Throwable> handler) {
    socket.exceptionHandler(handler);
    return this;
  }

  @Override
  public TcpDuplex handler(Handler<Buffer> handler) {
    socket.handler(handler);
    if (handler != null && !flowControlled) {
      flowControlled = true;
      socket.resume();
    }
    return this;
  }

  @Override
  public TcpDuplex pause() {
    flowControlled = true;
    socket.pause();
    return this;
  }

  @Override
  public TcpDuplex resume() {
    flowControlled = true;
    socket.resume();
    return this;
  }

  @Override
  public TcpDuplex fetch(long amount) {
    flowControlled = true;
    socket.fetch(amount);
    return this;
  }

  @Override
  public TcpDuplex endHandler(Handler<Void> endHandler) {
    socket.endHandler(endHandler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public TcpDuplex setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public TcpDuplex drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public Future<Void> close() {
    socket.close();
    return closed.future();
  }

  @Override
  public void reset() {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }
    socket.close();
  }

  @Override
  public Future<Void> closeFuture() {
    return closed.future();
  }

  @Override
  public String toString() {
    return "TcpDuplex(" + localAddress + " <-> " + remoteAddress + ")";
  }
}
