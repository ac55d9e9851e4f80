package dev.tally.rpc;

import dev.tally.log.Entry;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * One {@code log/subscribe} client: entries arrive on the log's writer thread and are written on
 * the request's context. While the client reads slower than entries arrive, text waits in a buffer
 * of at most {@code maxQueued} bytes; past that the client is cut off (its stream reset) rather
 * than the node buffering without bound. It can resubscribe and catch up with {@code log/ls}.
 */
final class LogSubscriber {
  private final Context context;
  private final HttpServerResponse response;
  private final boolean sse;
  private final int maxQueued;
  private final StringBuilder queued = new StringBuilder();
  private volatile Runnable cancel = () -> {};
  private boolean closed;

  LogSubscriber(Context context, HttpServerResponse response, boolean sse, int maxQueued) {
    this.context = context;
    this.response = response;
    this.sse = sse;
    this.maxQueued = maxQueued;
  }

  void cancel(Runnable cancel) {
    this.cancel = cancel;
  }

  /** Called by the log, under its lock: formats and hands over, never waits. */
  void accept(List<Entry> batch) {
    StringBuilder text = new StringBuilder();
    for (Entry e : batch) {
      String json = LogCommands.line(e).encode();
      text.append(sse ? "data: " + json + "\n\n" : json + "\n");
    }
    context.runOnContext(v -> write(text));
  }

  private void write(CharSequence text) {
    if (closed || response.closed() || response.ended()) {
      close();
      return;
    }
    queued.append(text);
    if (queued.length() > maxQueued) {
      close();
      response.reset();
      return;
    }
    flush();
  }

  private void flush() {
    if (closed || queued.length() == 0) {
      return;
    }
    if (response.writeQueueFull()) {
      response.drainHandler(v -> flush());
      return;
    }
    response.write(queued.toString());
    queued.setLength(0);
  }

  void close() {
    if (!closed) {
      closed = true;
      cancel.run();
    }
  }
}
