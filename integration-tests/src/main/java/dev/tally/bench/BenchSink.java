package dev.tally.bench;

import dev.tally.net.Connection;
import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's sink protocol on Tally's side, as {@code bench/net-bench.mjs} speaks it: the
 * sender writes its bytes and half-closes; the sink answers with the decimal count it received and
 * closes.
 */
final class BenchSink {
  static final String PROTOCOL = "/tally/bench/sink/1.0.0";
  static final int CHUNK = 64 * 1024;

  private BenchSink() {}

  /** Serves one inbound sink stream. */
  static void serve(Stream stream) {
    long[] received = {0};
    stream.handler(b -> received[0] += b.length());
    stream.exceptionHandler(e -> stream.reset());
    stream.endHandler(
        v -> {
          stream.write(Buffer.buffer(Long.toString(received[0])));
          stream.end();
        });
  }

  /**
   * Sends {@code bytes} on each of {@code streams} new streams at once; completes with the sum.
   * Adds every byte it hands to a stream to {@code written}, so a caller can see it move.
   */
  static Future<Long> send(
      Connection connection, long bytes, int streams, Buffer chunk, LongAdder written) {
    List<Future<Long>> all = new ArrayList<>(streams);
    for (int i = 0; i < streams; i++) {
      all.add(
          connection.newStream(List.of(PROTOCOL)).compose(s -> sendOne(s, bytes, chunk, written)));
    }
    return Future.all(all)
        .map(
            cf -> {
              long sum = 0;
              for (int i = 0; i < streams; i++) {
                sum += cf.<Long>resultAt(i);
              }
              return sum;
            });
  }

  private static Future<Long> sendOne(Stream stream, long bytes, Buffer chunk, LongAdder written) {
    Promise<Long> reply = Promise.promise();
    Buffer answer = Buffer.buffer();
    stream.handler(answer::appendBuffer);
    stream.exceptionHandler(reply::tryFail);
    stream.endHandler(
        v -> {
          long got = Long.parseLong(answer.toString(StandardCharsets.US_ASCII));
          if (got == bytes) {
            reply.tryComplete(got);
          } else {
            reply.tryFail(
                new IllegalStateException("sink received " + got + " bytes, sent " + bytes));
          }
        });
    new Pump(stream, bytes, chunk, written).run();
    return reply.future();
  }

  /** Writes until the stream reports back-pressure, then continues from its drain handler. */
  private static final class Pump {
    private final Stream stream;
    private final Buffer chunk;
    private final LongAdder written;
    private long remaining;

    Pump(Stream stream, long bytes, Buffer chunk, LongAdder written) {
      this.stream = stream;
      this.chunk = chunk;
      this.written = written;
      this.remaining = bytes;
      stream.drainHandler(v -> run());
    }

    void run() {
      while (remaining > 0) {
        if (stream.writeQueueFull()) {
          return;
        }
        int n = (int) Math.min(chunk.length(), remaining);
        remaining -= n;
        written.add(n);
        stream.write(n == chunk.length() ? chunk : chunk.slice(0, n));
      }
      if (remaining == 0) {
        remaining = -1;
        stream.end();
      }
    }
  }
}
