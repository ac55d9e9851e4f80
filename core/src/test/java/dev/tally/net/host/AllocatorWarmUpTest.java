package dev.tally.net.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The allocator's one-time JFR registration (ADR 035) happens while the host is created, on the
 * creating thread, and not later on an event loop. Checked in a fresh JVM, because a class is
 * initialised once per JVM and other tests in this one may have done it already.
 */
class AllocatorWarmUpTest {
  private static final String EVENT_INIT = "Initializing 'io/netty/buffer/AllocateChunkEvent'";

  @Test
  void creatingAHostInitialisesTheAllocatorsJfrEventsBeforeAnyEventLoopAllocates()
      throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+init=info:stdout",
                "-cp",
                System.getProperty("java.class.path"),
                AllocatorWarmUpProbe.class.getName())
            .redirectErrorStream(true)
            .start();
    List<String> lines =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not exit");
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    int created = lines.indexOf("created");
    assertTrue(created >= 0, "the probe printed no 'created'");
    int init = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(EVENT_INIT)) {
        init = i;
        break;
      }
    }
    assertTrue(
        init >= 0 && init < created,
        "the allocator's JFR event class must be initialised while the host is created (log line "
            + init
            + ", host created at line "
            + created
            + ")");
  }
}
