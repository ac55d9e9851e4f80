package dev.tally.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ceilings the networking figures are compared with, measured in the same run: plain Vert.x
 * loopback TCP (no security, no multiplexing) and the JVM's ChaCha20-Poly1305 on one thread.
 */
final class NetCeilings {
  private NetCeilings() {}

  /**
   * Seconds to push {@code bytes} through one plain Vert.x TCP connection from {@code client}'s
   * event loop to {@code server}'s, until the server acknowledged the last byte. Fails with the
   * byte counts when the server receives more than was sent, or when neither side moves for {@code
   * stall}.
   */
  static double plainTcpSeconds(
      Vertx client, Vertx server, long bytes, Buffer chunk, Duration stall) throws Exception {
    AtomicLong received = new AtomicLong();
    Promise<Void> done = Promise.promise();
    NetServer ns =
        server.createNetServer(new NetServerOptions().setHost("127.0.0.1").setTcpNoDelay(true));
    ns.connectHandler(
        socket ->
            socket.handler(
                b -> {
                  long got = received.addAndGet(b.length());
                  if (got == bytes) {
                    socket.write(Buffer.buffer("ok")).onComplete(ar -> socket.close());
                  } else if (got > bytes) {
                    done.tryFail(
                        new IllegalStateException(
                            "plain TCP server received " + got + " bytes, " + bytes + " sent"));
                  }
                }));
    int port = ns.listen(0).await(10, TimeUnit.SECONDS).actualPort();
    NetClient nc = client.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    AtomicReference<Pump> pump = new AtomicReference<>();
    try {
      long start = System.nanoTime();
      client.runOnContext(
          v ->
              nc.connect(port, "127.0.0.1")
                  .onFailure(done::tryFail)
                  .onSuccess(
                      s -> {
                        s.handler(b -> done.tryComplete());
                        s.setWriteQueueMaxSize(1 << 20);
                        Pump p = new Pump(s, bytes, chunk);
                        pump.set(p);
                        p.run();
                      }));
      awaitProgress(
          done.future(),
          () -> received.get() + (pump.get() == null ? 0 : pump.get().written()),
          stall,
          () ->
              "plain TCP: client wrote "
                  + (pump.get() == null
                      ? "nothing (not connected)"
                      : pump.get().written() + " bytes")
                  + ", server received "
                  + received.get()
                  + " of "
                  + bytes);
      return (System.nanoTime() - start) / 1e9;
    } finally {
      nc.close().await(10, TimeUnit.SECONDS);
      ns.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Writes until the socket reports back-pressure and goes on from one drain handler installed
   * once. Vert.x calls a socket's drain handler on every drain, not once: a handler that carried
   * its own count of what was left (one installed per full queue) ran again when the queue drained
   * after the last write and sent that many bytes a second time.
   */
  static final class Pump {
    private final NetSocket socket;
    private final Buffer chunk;
    private final long bytes;
    private volatile long left;

    Pump(NetSocket socket, long bytes, Buffer chunk) {
      this.socket = socket;
      this.chunk = chunk;
      this.bytes = bytes;
      this.left = bytes;
      socket.drainHandler(v -> run());
    }

    void run() {
      while (left > 0 && !socket.writeQueueFull()) {
        int n = (int) Math.min(chunk.length(), left);
        left -= n;
        socket.write(n == chunk.length() ? chunk : chunk.slice(0, n));
      }
    }

    /** Bytes handed to the socket so far; read from another thread, so only a progress hint. */
    long written() {
      return bytes - left;
    }
  }

  /**
   * Waits for {@code done} as long as {@code progress} keeps moving: fails with {@code state} once
   * it has stood still for {@code stall}, instead of waiting out a fixed deadline sized for the
   * slowest whole run.
   */
  static <T> T awaitProgress(
      Future<T> done, LongSupplier progress, Duration stall, Supplier<String> state)
      throws Exception {
    long seen = progress.getAsLong();
    while (true) {
      try {
        return done.await(stall.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long now = progress.getAsLong();
        if (now == seen) {
          throw new StalledException(state.get() + "; no progress for " + stall.toMillis() + " ms");
        }
        seen = now;
      }
    }
  }

  /** A measured transfer stopped moving. */
  static final class StalledException extends IllegalStateException {
    StalledException(String message) {
      super(message);
    }
  }

  /**
   * Seconds for one thread to seal {@code bytes} with the JDK's ChaCha20-Poly1305 in 65519-byte
   * messages (Noise's largest), a fresh nonce per message as Noise does.
   */
  static double chachaSeconds(long bytes) throws GeneralSecurityException {
    int msg = 65535 - 16;
    byte[] in = new byte[msg];
    byte[] out = new byte[msg + 16];
    byte[] nonce = new byte[12];
    SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
    Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
    long n = 0;
    long start = System.nanoTime();
    for (long done = 0; done < bytes; done += msg) {
      long v = n++;
      for (int i = 0; i < 8; i++) {
        nonce[4 + i] = (byte) (v >>> (8 * i));
      }
      c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
      c.doFinal(in, 0, msg, out, 0);
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
