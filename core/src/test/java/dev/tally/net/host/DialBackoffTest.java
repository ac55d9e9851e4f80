package dev.tally.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Multiaddr;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** go-libp2p's swarm back-off schedule: base + coefficient·n², capped, forgotten on success. */
class DialBackoffTest {
  private static final Multiaddr A = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
  private static final Multiaddr B = Multiaddr.parse("/ip4/127.0.0.1/tcp/4002");
  private long now;

  private DialBackoff backoff(int capacity) {
    DialBackoffOptions d = DialBackoffOptions.defaults();
    return new DialBackoff(d.base(), d.coefficient(), d.max(), capacity, () -> now);
  }

  @Test
  void growsQuadraticallyFromFiveSecondsUpToFiveMinutes() {
    DialBackoff b = backoff(10);
    assertEquals(Duration.ofSeconds(6), b.failed(A));
    assertEquals(Duration.ofSeconds(9), b.failed(A));
    assertEquals(Duration.ofSeconds(14), b.failed(A));
    for (int i = 4; i < 20; i++) {
      b.failed(A);
    }
    assertEquals(Duration.ofMinutes(5), b.failed(A));
  }

  @Test
  void anAddressIsRefusedUntilItsBackOffExpires() {
    DialBackoff b = backoff(10);
    assertEquals(Optional.empty(), b.remaining(A));
    b.failed(A);
    assertEquals(Optional.of(Duration.ofSeconds(6)), b.remaining(A));
    assertEquals(Optional.empty(), b.remaining(B));
    now += Duration.ofSeconds(5).toNanos();
    assertEquals(Optional.of(Duration.ofSeconds(1)), b.remaining(A));
    now += Duration.ofSeconds(1).toNanos();
    assertEquals(Optional.empty(), b.remaining(A));
  }

  @Test
  void aSuccessfulDialForgetsEarlierFailures() {
    DialBackoff b = backoff(10);
    b.failed(A);
    b.failed(A);
    b.succeeded(A);
    assertEquals(Optional.empty(), b.remaining(A));
    assertEquals(Duration.ofSeconds(6), b.failed(A));
  }

  @Test
  void remembersAtMostItsCapacityForgettingTheOldest() {
    DialBackoff b = backoff(1);
    b.failed(A);
    b.failed(B);
    assertEquals(Optional.empty(), b.remaining(A));
    assertTrue(b.remaining(B).isPresent());
  }
}
