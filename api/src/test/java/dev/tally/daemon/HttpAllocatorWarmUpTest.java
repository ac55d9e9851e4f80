package dev.tally.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.net.testing.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * An HTTP server started alone, with no libp2p host, runs Netty's one-time allocator set-up (its
 * JFR registration, ADR 035) while it starts, on the starting thread, and not on the event loop
 * that reads its first connection (ADR 039). Checked in a fresh JVM, because a class is initialised
 * once per JVM and other tests in this one may have done it already.
 */
class HttpAllocatorWarmUpTest {
  @Test
  void anHttpServerWithoutAHostInitialisesTheAllocatorsJfrEventsBeforeItsFirstConnection()
      throws Exception {
    FreshJvm probe = FreshJvm.run(HttpAllocatorWarmUpProbe.class);
    probe.line("answered ok");
    assertEquals(
        -1,
        probe.initialised("dev/tally/net/host/BasicHost"),
        "the probe must not create a libp2p host: the host warms the allocator itself");
    probe.assertInitialisedBefore(
        "io/netty/buffer/AllocateChunkEvent", "listening", "while the server starts");
  }
}
