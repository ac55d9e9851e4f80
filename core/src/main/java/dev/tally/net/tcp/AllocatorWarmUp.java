package dev.tally.net.tcp;

import io.netty.buffer.ByteBufAllocator;

/**
 * Netty 4.2's pooled allocator registers its JFR event classes when it allocates its first chunk,
 * and registering loads the JDK's JFR metadata: about 120 ms of CPU once per JVM, and seconds at
 * load 20 or more. That first chunk used to be allocated on an event loop, by the first bytes a
 * connection read, and the other loops that allocated meanwhile waited on the class initialisation
 * (thread-blocked warnings of 2–11 s, ADR 035). Allocating one buffer here moves that cost to the
 * thread that creates a host ({@code BasicHost.create}) or starts a server ({@link
 * EventLoopServers#listen}, which the swarm listeners and the HTTP API and gateway all start
 * through, ADR 039), before any connection exists.
 */
public final class AllocatorWarmUp {
  private AllocatorWarmUp() {}

  /**
   * Runs the first allocation once per JVM, on the calling thread; call it from a thread that is
   * not an event loop. Later calls cost nothing.
   */
  public static void ensure() {
    Once.DONE.hashCode();
  }

  /** Its class initialisation runs the allocation exactly once, however many threads ask. */
  private enum Once {
    DONE;

    static {
      ByteBufAllocator.DEFAULT.directBuffer(1).release();
      ByteBufAllocator.DEFAULT.heapBuffer(1).release();
    }
  }
}
