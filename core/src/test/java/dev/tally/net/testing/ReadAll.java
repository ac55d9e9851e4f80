package dev.tally.net.testing;

import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/** Collects what the other side writes on a stream until it ends it. */
public final class ReadAll {
  private ReadAll() {}

  /** Completes with everything read once the stream ends; fails if the stream fails first. */
  public static Future<String> text(Stream s) {
    Promise<String> all = Promise.promise();
    Buffer acc = Buffer.buffer();
    s.handler(acc::appendBuffer);
    s.endHandler(v -> all.tryComplete(acc.toString()));
    s.exceptionHandler(all::tryFail);
    s.resume();
    return all.future();
  }
}
