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
import java.util.concurrent.TimeUnit;
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
   * event loop to {@code server}'s, until the server acknowledged the last byte.
   */
  static double plainTcpSeconds(Vertx client, Vertx server, long bytes, Buffer chunk)
      throws Exception {
    NetServer ns =
        server.createNetServer(new NetServerOptions().setHost("127.0.0.1").setTcpNoDelay(true));
    ns.connectHandler(
        socket -> {
          long[] got = {0};
          socket.handler(
              b -> {
                got[0] += b.length();
                if (got[0] == bytes) {
                  socket.write(Buffer.buffer("ok")).onComplete(ar -> socket.close());
                }
              });
        });
    int port = ns.listen(0).await(10, TimeUnit.SECONDS).actualPort();
    NetClient nc = client.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    try {
      Promise<Void> done = Promise.promise();
      long start = System.nanoTime();
      client.runOnContext(
          v ->
              nc.connect(port, "127.0.0.1")
                  .onFailure(done::tryFail)
                  .onSuccess(
                      s -> {
                        s.handler(b -> done.tryComplete());
                        s.setWriteQueueMaxSize(1 << 20);
                        pump(s, bytes, chunk);
                      }));
      await(done.future());
      return (System.nanoTime() - start) / 1e9;
    } finally {
      nc.close().await(10, TimeUnit.SECONDS);
      ns.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static void pump(NetSocket s, long remaining, Buffer chunk) {
    long left = remaining;
    while (left > 0 && !s.writeQueueFull()) {
      int n = (int) Math.min(chunk.length(), left);
      left -= n;
      s.write(n == chunk.length() ? chunk : chunk.slice(0, n));
    }
    if (left > 0) {
      long rest = left;
      s.drainHandler(v -> pump(s, rest, chunk));
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

  static <T> T await(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.MINUTES);
  }
}
