package dev.tally.net.testing;

import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/** One round on an echo stream: writes the data, half-closes, collects what comes back. */
public final class EchoOnce {
  private EchoOnce() {}

  /** Completes with everything the echo sent back once it closed its side, or with the failure. */
  public static Future<Buffer> send(Stream s, byte[] data) {
    return send(s, data, Math.max(1, data.length));
  }

  /** {@link #send(Stream, byte[])}, writing the data in writes of at most {@code piece} bytes. */
  public static Future<Buffer> send(Stream s, byte[] data, int piece) {
    Promise<Buffer> all = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> all.tryComplete(acc));
    s.exceptionHandler(all::tryFail);
    Buffer whole = Buffer.buffer(data);
    for (int off = 0; off < data.length; off += piece) {
      s.write(whole.slice(off, Math.min(data.length, off + piece)));
    }
    s.end();
    return all.future();
  }
}
