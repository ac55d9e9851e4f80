package dev.tally.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Best-of-N wall-clock timing of one task that produces a result (a root CID, a digest), with the
 * process CPU time of each run, so work spread over several threads shows as CPU time above wall
 * time.
 */
final class Timing {
  /** A task to time; {@code prepare} runs outside the clock, {@code run} inside. */
  interface Task<S, R> {
    S prepare() throws Exception;

    R run(S state) throws Exception;

    default void cleanUp(S state) throws Exception {}
  }

  /**
   * The fastest run's wall and process CPU seconds, every run's wall seconds, and the result (the
   * same on every run).
   */
  record Best<R>(double seconds, double cpuSeconds, List<Double> allSeconds, R result) {
    double mbPerSec(long bytes) {
      return bytes / seconds / 1e6;
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private Timing() {}

  /** One unmeasured warm-up run (JIT compilation, page cache), then the best of {@code runs}. */
  static <S, R> Best<R> bestOf(int runs, String what, Task<S, R> task) throws Exception {
    R expected = timeOnce(task).result();
    List<Double> all = new ArrayList<>(runs);
    Best<R> best = null;
    for (int i = 0; i < runs; i++) {
      Best<R> run = timeOnce(task);
      if (!expected.equals(run.result())) {
        throw new IllegalStateException(
            what + " gave different results between runs: " + expected + " then " + run.result());
      }
      all.add(run.seconds());
      if (best == null || run.seconds() < best.seconds()) {
        best = run;
      }
    }
    return new Best<>(best.seconds(), best.cpuSeconds(), List.copyOf(all), expected);
  }

  private static <S, R> Best<R> timeOnce(Task<S, R> task) throws Exception {
    // Leave the previous run's garbage (a whole in-memory blockstore) out of this run's time.
    System.gc();
    S state = task.prepare();
    long cpuStart = OS.getProcessCpuTime();
    long start = System.nanoTime();
    R result = task.run(state);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (OS.getProcessCpuTime() - cpuStart) / 1e9;
    task.cleanUp(state);
    return new Best<>(seconds, cpuSeconds, List.of(seconds), result);
  }
}
