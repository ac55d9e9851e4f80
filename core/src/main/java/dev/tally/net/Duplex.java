package dev.tally.net;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * A bidirectional byte channel with back-pressure: a TCP socket, a Noise session, a Yamux stream.
 *
 * <p>{@code end()} half-closes (FIN) the write side where the layer supports it. Every Duplex runs
 * its handlers on the Vert.x context it was created on.
 */
public interface Duplex extends ReadStream<Buffer>, WriteStream<Buffer> {
  /**
   * Sets the handler for failures in either direction. Redeclared because {@link ReadStream} and
   * {@link WriteStream} both declare it with unrelated return types.
   */
  @Override
  Duplex exceptionHandler(Handler<Throwable> handler);

  /** Closes both directions and releases resources; completes when done. Idempotent. */
  Future<Void> close();

  /** Abortive close (TCP RST / Yamux RST semantics where the layer has them). */
  void reset();

  /** Completes when the channel is closed for any reason. */
  Future<Void> closeFuture();
}
