package dev.tally.net.noise;

import dev.tally.net.Await;
import dev.tally.net.tcp.TcpListener;
import dev.tally.net.testing.RawSocket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.time.Duration;

/** A hand-driven peer on a raw socket, for sending exactly the bytes a test needs. */
final class RawNoisePeer {
  private final RawSocket socket;
  // Held as long as the peer: Vert.x closes a client, and its sockets, once it is garbage.
  private final NetClient client;
  private final FrameDecoder decoder = new FrameDecoder();

  private RawNoisePeer(NetClient client, RawSocket socket) {
    this.client = client;
    this.socket = socket;
  }

  static RawNoisePeer connect(Vertx vertx, TcpListener listener) {
    String[] parts = listener.address().toString().split("/");
    NetClient client = vertx.createNetClient();
    return new RawNoisePeer(
        client, Await.result(RawSocket.connect(vertx, client, Integer.parseInt(parts[4]))));
  }

  /** Completes when the listener closes the connection. */
  Future<Void> closed() {
    return socket.closed();
  }

  byte[] readFrame() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (byte[] f = decoder.next(); ; f = decoder.next()) {
      if (f != null) {
        return f;
      }
      Buffer b = socket.poll(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
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
