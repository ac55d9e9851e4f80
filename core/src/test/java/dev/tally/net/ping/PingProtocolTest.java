package dev.tally.net.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingProtocolTest {
  private final PingProtocol ping = new PingProtocol(new SecureRandom());

  @Test
  void measuresOneRoundTripPerEchoedBlock() {
    try (Loop loop = new Loop()) {
      MemoryDuplex[] ends = loop.call(() -> MemoryDuplex.pair(loop.context, 1, 1 << 20));
      List<Duration> rtts =
          loop.await(
              () -> {
                PingProtocol.respond(ends[1]);
                return ping.ping(ends[0], 5);
              });
      assertEquals(5, rtts.size());
      rtts.forEach(rtt -> assertEquals(true, rtt.toNanos() >= 2_000_000, "2 x 1 ms link: " + rtt));
    }
  }

  @Test
  void failsWhenTheEchoDiffers() {
    try (Loop loop = new Loop()) {
      MemoryDuplex[] ends = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
      Throwable failure =
          loop.await(
              () -> {
                ends[1].handler(
                    b -> {
                      byte[] bytes = b.getBytes();
                      bytes[0] ^= 1;
                      ends[1].write(Buffer.buffer(bytes));
                    });
                return ping.ping(ends[0], 1).transform(ar -> Future.succeededFuture(ar.cause()));
              });
      assertInstanceOf(PingException.class, failure);
    }
  }

  @Test
  void responderEchoesBlocksSplitAcrossWrites() {
    try (Loop loop = new Loop()) {
      MemoryDuplex[] ends = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
      Buffer echoed = Buffer.buffer();
      loop.run(
          () -> {
            PingProtocol.respond(ends[1]);
            ends[0].handler(echoed::appendBuffer);
            byte[] data = new byte[70];
            new SecureRandom().nextBytes(data);
            ends[0].write(Buffer.buffer(data).slice(0, 20).copy());
            ends[0].write(Buffer.buffer(data).slice(20, 70).copy());
          });
      loop.until(Duration.ofSeconds(5), () -> echoed.length() == 64, "two whole blocks echoed");
    }
  }
}
