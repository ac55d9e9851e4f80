package dev.tally.net.multistream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.net.testing.Loop;
import dev.tally.net.testing.MemoryDuplex;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrefixedDuplexTest {
  final Loop loop = new Loop();

  @AfterEach
  void close() {
    loop.close();
  }

  /** Lets pending event-loop tasks run. */
  private void settle() {
    for (int i = 0; i < 5; i++) {
      loop.run(() -> {});
    }
  }

  @Test
  void deliversThePrefixFirstAndHonoursFetch() {
    MemoryDuplex[] pair = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
    List<String> got = new ArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    PrefixedDuplex d =
        loop.call(
            () ->
                new PrefixedDuplex(loop.context, pair[1], Buffer.buffer("AB"))
                    .pause()
                    .handler(b -> got.add(b.toString()))
                    .endHandler(v -> ended.set(true)));
    loop.run(() -> pair[0].write(Buffer.buffer("CD")));
    settle();
    assertEquals(List.of(), loop.call(() -> List.copyOf(got)));

    loop.run(() -> d.fetch(1));
    loop.until(Duration.ofSeconds(5), () -> got.size() == 1, "prefix delivered");
    settle();
    assertEquals(List.of("AB"), loop.call(() -> List.copyOf(got)));

    loop.run(() -> d.fetch(1));
    loop.until(Duration.ofSeconds(5), () -> got.size() == 2, "underlying data delivered");
    assertEquals(List.of("AB", "CD"), loop.call(() -> List.copyOf(got)));

    loop.run(() -> pair[0].end());
    loop.until(Duration.ofSeconds(5), ended::get, "end delivered");
  }

  @Test
  void endThatArrivedBeforeTheHandOverFollowsThePrefix() {
    MemoryDuplex[] pair = loop.call(() -> MemoryDuplex.pair(loop.context, 0, 1 << 20));
    List<String> events = new ArrayList<>();
    PrefixedDuplex d =
        loop.call(() -> new PrefixedDuplex(loop.context, pair[1], Buffer.buffer("last words")));
    loop.run(() -> pair[0].end());
    settle();
    loop.run(
        () -> d.endHandler(v -> events.add("end")).handler(b -> events.add(b.toString())).resume());
    loop.until(Duration.ofSeconds(5), () -> events.size() == 2, "prefix and end");
    assertEquals(List.of("last words", "end"), loop.call(() -> List.copyOf(events)));
  }
}
