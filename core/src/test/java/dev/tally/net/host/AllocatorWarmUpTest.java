package dev.tally.net.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
    FreshJvm probe = FreshJvm.run(AllocatorWarmUpProbe.class);
    int created = probe.line("created");
    int init = probe.initialised("io/netty/buffer/AllocateChunkEvent");
    assertTrue(
        init >= 0 && init < created,
        "the allocator's JFR event class must be initialised while the host is created (log line "
            + init
            + ", host created at line "
            + created
            + ")");
  }
}
