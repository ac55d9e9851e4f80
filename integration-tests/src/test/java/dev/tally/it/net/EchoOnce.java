package dev.tally.it.net;

import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/** One round on an echo stream: writes the data, half-closes, collects what comes back. */
final class EchoOnce {
  private EchoOnce() {}

  /** Completes with everything the echo sent back once it closed its side, or with the failure. */
  static Future<Buffer> send(Stream s, byte[] data) {
    Promise<Buffer> all = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> all.tryComplete(acc));
    s.exceptionHandler(all::tryFail);
    s.write(Buffer.buffer(data));
    s.end();
    return all.future();
  }
}
