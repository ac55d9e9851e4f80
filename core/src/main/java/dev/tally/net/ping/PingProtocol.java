package dev.tally.net.ping;

import dev.tally.net.Duplex;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ping exchange: the initiator sends 32 random bytes and times their echo, any number of times
 * on one stream; the responder echoes every 32-byte block until the initiator closes.
 */
public final class PingProtocol {
  public static final String ID = "/ipfs/ping/1.0.0";

  /** The ping payload: fixed by the ping spec at 32 bytes, so not a config key. */
  public static final int SIZE = 32;

  private final SecureRandom random;

  public PingProtocol(SecureRandom random) {
    this.random = random;
  }

  /** Serves one inbound ping stream: echoes whole 32-byte blocks, with back-pressure. */
  public static void respond(Duplex stream) {
    byte[] block = new byte[SIZE];
    int[] have = {0};
    stream.handler(
        b -> {
          Buffer out = Buffer.buffer();
          for (int pos = 0; pos < b.length(); ) {
            int take = Math.min(SIZE - have[0], b.length() - pos);
            b.getBytes(pos, pos + take, block, have[0]);
            have[0] += take;
            pos += take;
            if (have[0] == SIZE) {
              out.appendBytes(block);
              have[0] = 0;
            }
          }
          if (out.length() > 0) {
            stream.write(out);
          }
          if (stream.writeQueueFull()) {
            stream.pause();
            stream.drainHandler(v -> stream.resume());
          }
        });
    stream.endHandler(v -> stream.end());
    stream.exceptionHandler(e -> stream.reset());
    stream.resume();
  }

  /** Sends {@code count} pings one after another and completes with their round-trip times. */
  public Future<List<Duration>> ping(Duplex stream, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    Pinger pinger = new Pinger(stream, count);
    pinger.next();
    return pinger.done.future().eventually(stream::close);
  }

  private final class Pinger {
    private final Duplex stream;
    private final int count;
    private final List<Duration> rtts = new ArrayList<>();
    private final Promise<List<Duration>> done = Promise.promise();
    private final byte[] expected = new byte[SIZE];
    private final byte[] echoed = new byte[SIZE];
    private int echoedLength;
    private long sentAt;

    Pinger(Duplex stream, int count) {
      this.stream = stream;
      this.count = count;
      stream.handler(this::onData);
      stream.endHandler(v -> done.tryFail(new PingException("peer closed the ping stream")));
      stream.exceptionHandler(done::tryFail);
      stream.resume();
    }

    void next() {
      random.nextBytes(expected);
      echoedLength = 0;
      sentAt = System.nanoTime();
      stream.write(Buffer.buffer(expected.clone())).onFailure(done::tryFail);
    }

    void onData(Buffer b) {
      if (echoedLength + b.length() > SIZE) {
        fail("peer echoed more than the " + SIZE + " bytes sent");
        return;
      }
      b.getBytes(0, b.length(), echoed, echoedLength);
      echoedLength += b.length();
      if (echoedLength < SIZE) {
        return;
      }
      Duration rtt = Duration.ofNanos(System.nanoTime() - sentAt);
      if (!Arrays.equals(echoed, expected)) {
        fail("ping echo differs from the " + SIZE + " bytes sent");
        return;
      }
      rtts.add(rtt);
      if (rtts.size() == count) {
        done.tryComplete(List.copyOf(rtts));
      } else {
        next();
      }
    }

    private void fail(String message) {
      done.tryFail(new PingException(message));
      stream.reset();
    }
  }
}
