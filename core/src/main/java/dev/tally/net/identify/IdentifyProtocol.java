package dev.tally.net.identify;

import dev.tally.net.Duplex;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

/**
 * The identify exchange on one negotiated stream: the identified peer writes its message(s) and
 * closes; the other side reads to the end, bounded by the codec's limits. Push is the same exchange
 * with the roles of opener and sender swapped.
 */
public final class IdentifyProtocol {
  public static final String ID = "/ipfs/id/1.0.0";
  public static final String PUSH_ID = "/ipfs/id/push/1.0.0";

  private final IdentifyCodec codec;

  public IdentifyProtocol(IdentifyCodec codec) {
    this.codec = codec;
  }

  /** Writes {@code info} and half-closes the stream. */
  public Future<Void> send(Duplex stream, IdentifyInfo info) {
    byte[] wire;
    try {
      wire = codec.encode(info);
    } catch (IdentifyException e) {
      stream.reset();
      return Future.failedFuture(e);
    }
    return stream.write(Buffer.buffer(wire)).compose(v -> stream.end());
  }

  /** Reads the peer's message(s) until the stream ends; resets the stream if it sends too much. */
  public Future<IdentifyInfo> receive(Duplex stream) {
    Promise<IdentifyInfo> result = Promise.promise();
    Buffer acc = Buffer.buffer();
    int limit = codec.maxResponseSize();
    stream.exceptionHandler(result::tryFail);
    stream.handler(
        b -> {
          if (acc.length() + b.length() > limit) {
            stream.reset();
            result.tryFail(
                new IdentifyException("identify response exceeds " + limit + " bytes; reset"));
            return;
          }
          acc.appendBuffer(b);
        });
    stream.endHandler(
        v -> {
          try {
            result.tryComplete(codec.decode(acc.getBytes()));
          } catch (IdentifyException e) {
            result.tryFail(e);
          }
          stream.close();
        });
    stream.resume();
    return result.future();
  }
}
