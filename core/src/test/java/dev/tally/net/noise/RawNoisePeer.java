package dev.tally.net.noise;

import dev.tally.net.Await;
import dev.tally.net.tcp.TcpListener;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A hand-driven peer on a raw socket, for sending exactly the bytes a test needs. */
final class RawNoisePeer {
  final NetSocket socket;
  // Held as long as the peer: Vert.x closes a client, and its sockets, once it is garbage.
  private final NetClient client;
  final Promise<Void> closed = Promise.promise();
  private final LinkedBlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
  private final FrameDecoder decoder = new FrameDecoder();

  private RawNoisePeer(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  static RawNoisePeer connect(Vertx vertx, TcpListener listener) {
    String[] parts = listener.address().toString().split("/");
    NetClient client = vertx.createNetClient();
    return Await.result(
        client
            .connect(Integer.parseInt(parts[4]), "127.0.0.1")
            .map(
                s -> {
                  RawNoisePeer p = new RawNoisePeer(client, s);
                  s.handler(p.received::add);
                  s.closeHandler(v -> p.closed.tryComplete());
                  s.exceptionHandler(e -> {});
                  return p;
                }));
  }

  byte[] readFrame() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (byte[] f = decoder.next(); ; f = decoder.next()) {
      if (f != null) {
        return f;
      }
      Buffer b = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (b == null) {
        throw new AssertionError("no Noise frame within 10 s");
      }
      decoder.append(b);
    }
  }

  void write(Buffer b) {
    Await.result(socket.write(b));
  }

  void writeFrame(byte[] body) {
    write(FrameDecoder.frame(body));
  }
}
