package dev.tally.log.sync;

import dev.tally.net.Stream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Reads the messages of one stream: frames are split on the stream's context, but decoded on a
 * worker (a 1 MiB batch of entries is a millisecond of CBOR decoding that the event loop must not
 * spend), one after the other, and handed back on the stream's context in the order they arrived.
 * The end of the stream is delivered after every message before it. The stream is paused while
 * {@link #MAX_PENDING} frames wait to be decoded, or while the owner {@link #hold holds} it, so
 * memory stays bounded by the message limit. Not thread-safe: call it on the stream's context.
 */
final class MessageReader {
  /** Frames (each at most {@code maxMessageBytes}) decoded or waiting at once. */
  static final int MAX_PENDING = 2;

  private final Vertx vertx;
  private final SyncCodec codec;
  private final Stream stream;
  private final SyncFrames frames;
  private Future<Void> chain = Future.succeededFuture();
  private int pending;
  private boolean held;
  private boolean stopped;
  private boolean paused;

  MessageReader(Vertx vertx, SyncCodec codec, Stream stream, int maxMessageBytes) {
    this.vertx = vertx;
    this.codec = codec;
    this.stream = stream;
    this.frames = new SyncFrames(maxMessageBytes);
  }

  /**
   * Starts reading: {@code onBytes} is told of every chunk received (liveness), {@code onMessage}
   * gets each message, {@code onEnd} the end of the stream after the messages before it, {@code
   * onError} a malformed frame or message, or a handler's failure; after an error nothing more is
   * delivered.
   */
  void start(
      Runnable onBytes,
      Handler<SyncMessage> onMessage,
      Handler<Void> onEnd,
      Handler<Throwable> onError) {
    stream.handler(
        data -> {
          if (stopped) {
            return;
          }
          onBytes.run();
          try {
            frames.feed(data);
            Optional<byte[]> f;
            while (!stopped && (f = frames.next()).isPresent()) {
              decode(f.get(), onMessage, onError);
            }
          } catch (RuntimeException e) {
            stop();
            onError.handle(e);
          }
        });
    stream.endHandler(
        v ->
            chain.onSuccess(
                x -> {
                  if (!stopped) {
                    onEnd.handle(null);
                  }
                }));
    stream.resume();
  }

  private void decode(byte[] frame, Handler<SyncMessage> onMessage, Handler<Throwable> onError) {
    pending++;
    flow();
    chain =
        chain
            .compose(v -> vertx.executeBlocking(() -> codec.decode(frame), false))
            .map(
                m -> {
                  pending--;
                  if (!stopped) {
                    onMessage.handle(m);
                    flow();
                  }
                  return null;
                });
    chain.onFailure(
        e -> {
          if (!stopped) {
            stop();
            onError.handle(e);
          }
        });
  }

  /** Pauses ({@code true}) or releases the stream on the owner's behalf (its own back-pressure). */
  void hold(boolean hold) {
    held = hold;
    flow();
  }

  /** Delivers nothing more; what is still being decoded is dropped. */
  void stop() {
    stopped = true;
  }

  private void flow() {
    boolean pause = held || pending >= MAX_PENDING;
    if (pause && !paused) {
      paused = true;
      stream.pause();
    } else if (!pause && paused && !stopped) {
      paused = false;
      stream.resume();
    }
  }
}
