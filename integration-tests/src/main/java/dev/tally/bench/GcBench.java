package dev.tally.bench;

import java.nio.file.Path;

/** Garbage collection over many small blocks with a tenth of them pinned (filled in with GC). */
final class GcBench {
  private GcBench() {}

  static void run(Path dir, int blocks) {
    System.out.printf("  GC bench over %d blocks: not built yet%n", blocks);
  }
}
