package dev.tally.net.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe's {@code main} in a fresh JVM on this test's class path, with the JVM's
 * class-initialisation log on the probe's stdout: a class is initialised once per JVM, and other
 * tests in this one may have done it already.
 */
public final class FreshJvm {
  private final List<String> lines;

  private FreshJvm(List<String> lines) {
    this.lines = lines;
  }

  /** Runs {@code probe} to its exit, which must be 0 within a minute. */
  public static FreshJvm run(Class<?> probe) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+init=info:stdout",
                "-cp",
                System.getProperty("java.class.path"),
                probe.getName())
            .redirectErrorStream(true)
            .start();
    List<String> lines =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not exit");
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    return new FreshJvm(lines);
  }

  /** The index of the line the probe printed as exactly {@code marker}; fails if it did not. */
  public int line(String marker) {
    int at = lines.indexOf(marker);
    assertTrue(at >= 0, "the probe printed no '" + marker + "'");
    return at;
  }

  /**
   * Asserts that the probe initialised {@code internalName} before it printed {@code marker};
   * {@code what} says what should have initialised it.
   */
  public void assertInitialisedBefore(String internalName, String marker, String what) {
    int at = line(marker);
    int init = initialised(internalName);
    assertTrue(
        init >= 0 && init < at,
        internalName
            + " must be initialised "
            + what
            + " (log line "
            + init
            + ", '"
            + marker
            + "' at line "
            + at
            + ")");
  }

  /**
   * The index of the log line initialising {@code internalName} (e.g. {@code
   * io/netty/buffer/AllocateChunkEvent}), or -1 if the class was never initialised.
   */
  public int initialised(String internalName) {
    String init = "Initializing '" + internalName + "'";
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(init)) {
        return i;
      }
    }
    return -1;
  }
}
