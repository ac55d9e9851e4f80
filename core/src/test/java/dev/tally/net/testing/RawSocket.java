package dev.tally.net.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw TCP socket to a local listener, for tests that write exact (often hostile) bytes. Its data
 * and close handlers are installed by the event loop that completes the connect, before the socket
 * reads anything: a Vert.x socket drops data that arrives while it has no handler, and a close that
 * happens before a close handler is set is never reported. Installing them from the test thread
 * after the connect lost a listener's first bytes (a multistream header) and missed its close when
 * the machine was busy.
 */
public final class RawSocket {
  public final NetSocket socket;
  private final LinkedBlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
  private final Promise<Void> closed = Promise.promise();

  private RawSocket(NetSocket socket) {
    this.socket = socket;
  }

  /**
   * Connects {@code client} to 127.0.0.1:{@code port}. The client must stay reachable as long as
   * the socket is used: Vert.x closes a client, and its sockets, once it is garbage.
   */
  public static Future<RawSocket> connect(Vertx vertx, NetClient client, int port) {
    Promise<RawSocket> connected = Promise.promise();
    // Connecting from the event loop registers the mapping before the connect can complete, so it
    // runs in the same event-loop turn as the completion, ahead of the first read.
    vertx.runOnContext(
        v ->
            client
                .connect(port, "127.0.0.1")
                .map(
                    s -> {
                      RawSocket raw = new RawSocket(s);
                      s.handler(raw.received::add);
                      s.closeHandler(x -> raw.closed.tryComplete());
                      s.exceptionHandler(e -> {});
                      return raw;
                    })
                .onComplete(connected));
    return connected.future();
  }

  /** The next chunk received, waiting up to {@code timeout}; null if none came. */
  public Buffer poll(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Everything received until at least {@code length} bytes came or {@code timeout} passed, then
   * nothing more is waited for: the caller compares what it got.
   */
  public Buffer read(int length, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Buffer acc = Buffer.buffer();
    while (acc.length() < length) {
      long left = deadline - System.nanoTime();
      Buffer b = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
      if (b == null) {
        break;
      }
      acc.appendBuffer(b);
    }
    return acc;
  }

  /** Completes when the socket closes, whichever side closed it. */
  public Future<Void> closed() {
    return closed.future();
  }

  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }
}
