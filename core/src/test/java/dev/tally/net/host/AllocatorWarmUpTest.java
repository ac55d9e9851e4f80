package dev.tally.net.host;

import dev.tally.net.testing.FreshJvm;
import org.junit.jupiter.api.Test;

/**
 * The allocator's one-time JFR registration (ADR 035) happens while the host is created, on the
 * creating thread, and not later on an event loop. Checked in a fresh JVM, because a class is
 * initialised once per JVM and other tests in this one may have done it already.
 */
class AllocatorWarmUpTest {
  @Test
  void creatingAHostInitialisesTheAllocatorsJfrEventsBeforeAnyEventLoopAllocates()
      throws Exception {
    FreshJvm.run(AllocatorWarmUpProbe.class)
        .assertInitialisedBefore(
            "io/netty/buffer/AllocateChunkEvent", "created", "while the host is created");
  }
}
