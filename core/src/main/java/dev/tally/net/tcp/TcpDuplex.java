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
 * One TCP connection. Reads, writes and back-pressure map onto the Vert.x socket; {@link #end()}
 * closes the socket once queued writes are flushed (Vert.x sockets do not half-close); {@link
 * #reset()} closes with SO_LINGER 0 so the peer sees an RST.
 *
 * <p>A Vert.x socket drops bytes that arrive while it has no handler, and the peer may speak first
 * (a multistream responder sends its header at once). So the socket stays paused until a handler is
 * set; the stream is otherwise in flowing mode unless the caller pauses it.
 */
public final class TcpDuplex implements Duplex {
  private final NetSocket socket;
  private final Promise<Void> closed = Promise.promise();
  private final Multiaddr localAddress;
  private final Multiaddr remoteAddress;

  private Handler<Buffer> handler;
  private boolean paused;
  private long fetchedWithoutHandler;

  /** Wraps {@code socket}; call on its event loop before the first read can be delivered. */
  TcpDuplex(NetSocket socket) {
    this.socket = socket;
    socket.pause();
    this.localAddress = TcpAddresses.toMultiaddr(socket.localAddress());
    this.remoteAddress = TcpAddresses.toMultiaddr(socket.remoteAddress());
    socket.closeHandler(v -> closed.tryComplete());
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
    boolean first = this.handler == null && handler != null;
    this.handler = handler;
    socket.handler(handler);
    if (handler == null) {
      socket.pause();
    } else if (first) {
      if (!paused) {
        socket.resume();
      } else if (fetchedWithoutHandler > 0) {
        socket.fetch(fetchedWithoutHandler);
      }
      fetchedWithoutHandler = 0;
    }
    return this;
  }

  @Override
  public TcpDuplex pause() {
    paused = true;
    socket.pause();
    return this;
  }

  @Override
  public TcpDuplex resume() {
    paused = false;
    if (handler != null) {
      socket.resume();
    }
    return this;
  }

  @Override
  public TcpDuplex fetch(long amount) {
    if (handler != null) {
      socket.fetch(amount);
    } else if (amount > 0) {
      long sum = fetchedWithoutHandler + amount;
      fetchedWithoutHandler = sum < 0 ? Long.MAX_VALUE : sum;
    }
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
