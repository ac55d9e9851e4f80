package dev.tally.bench;

import dev.tally.unixfs.Profile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Collects ImportBench's figures and prints them with the ratios and root CIDs. */
final class ImportReport {
  private record Row(String label, double mbPerSec, double seconds, double cpuSeconds) {}

  private final long bytes;
  private final BenchArgs args;
  private Timing.Best<String> anchor;
  private final Map<Profile, Timing.Best<String>> memory = new LinkedHashMap<>();
  private final Map<Profile, Timing.Best<String>> disk = new LinkedHashMap<>();
  private final Map<String, NodeImport.Result> node = new LinkedHashMap<>();
  private final List<Row> diagnostics = new ArrayList<>();

  ImportReport(long bytes, BenchArgs args) {
    this.bytes = bytes;
    this.args = args;
  }

  void anchor(Timing.Best<String> best) {
    anchor = best;
  }

  void tallyMemory(Profile p, Timing.Best<String> best) {
    memory.put(p, best);
  }

  void tallyDisk(Profile p, Timing.Best<String> best) {
    disk.put(p, best);
  }

  void node(NodeImport.Result r) {
    node.put(r.profile(), r);
  }

  void diagnostic(String label, Timing.Best<String> best) {
    diagnostics.add(row(label, best));
  }

  /** Prints everything; returns whether every root CID agreed. */
  boolean print(PrintStream out) {
    out.printf(
        "Tally import benchmark: %d MiB of seeded random bytes (seed %d), best of %d runs after a"
            + " warm-up,"
            + " MB = 10^6 bytes%n",
        bytes >> 20, args.seed(), args.runs());
    out.printf(
        "Java %s, %s (%s), %d CPUs%s%n",
        Runtime.version(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.vm.vendor"),
        Runtime.getRuntime().availableProcessors(),
        node.values().stream()
            .findFirst()
            .map(r -> "; Node " + r.node() + ", ipfs-unixfs-importer " + r.importer())
            .orElse(""));
    out.println();
    List<Row> rows = new ArrayList<>();
    rows.add(row("SHA-256, one thread, JDK MessageDigest (anchor)", anchor));
    for (Profile p : memory.keySet()) {
      rows.add(row("Tally import, " + p + ", MemoryBlockstore", memory.get(p)));
      if (disk.containsKey(p)) {
        rows.add(row("Tally import, " + p + ", PackBlockstore (repo store)", disk.get(p)));
      }
      nodeResult(p)
          .ifPresent(
              r ->
                  rows.add(
                      new Row(
                          "ipfs-unixfs-importer (Node), " + p + ", MemoryBlockstore",
                          r.mbPerSec(),
                          r.bestSeconds(),
                          r.cpuSeconds())));
    }
    printRows(out, "figure", rows);
    printRows(out, "diagnostic (no goal)", diagnostics);
    out.println(
        "CPU s: process CPU time of the best run, all threads (GC and JIT included); above wall s"
            + " when several threads worked.");

    out.printf("%n%-52s %7s  %s%n", "ratio", "value", "goal");
    for (Profile p : memory.keySet()) {
      ratio(out, "import/SHA-256, " + p + " (memory)", mbps(memory.get(p)) / mbps(anchor), 0.70);
    }
    for (Profile p : memory.keySet()) {
      Optional<NodeImport.Result> r = nodeResult(p);
      if (r.isPresent()) {
        ratio(out, "Tally-memory/Node, " + p, mbps(memory.get(p)) / r.get().mbPerSec(), 1.0);
        if (disk.containsKey(p)) {
          ratio(out, "Tally-disk/Node, " + p, mbps(disk.get(p)) / r.get().mbPerSec(), 0.5);
        }
      }
    }
    // On a shared machine wall time follows the scheduler; CPU time per byte follows the code.
    out.println("same ratios by CPU time (work per byte; no goal, steadier on a busy machine):");
    for (Profile p : memory.keySet()) {
      cpuRatio(out, "import/SHA-256, " + p + " (memory)", anchor.cpuSeconds(), memory.get(p));
    }
    for (Profile p : memory.keySet()) {
      Optional<NodeImport.Result> r = nodeResult(p);
      if (r.isPresent()) {
        cpuRatio(out, "Tally-memory/Node, " + p, r.get().cpuSeconds(), memory.get(p));
        if (disk.containsKey(p)) {
          cpuRatio(out, "Tally-disk/Node, " + p, r.get().cpuSeconds(), disk.get(p));
        }
      }
    }
    return printRoots(out);
  }

  private boolean printRoots(PrintStream out) {
    out.printf("%nroot CIDs%n");
    boolean allMatch = true;
    for (Profile p : memory.keySet()) {
      String tally = memory.get(p).result();
      Optional<String> diskRoot = Optional.ofNullable(disk.get(p)).map(Timing.Best::result);
      boolean match = diskRoot.map(tally::equals).orElse(true);
      String nodeRoot = nodeResult(p).map(NodeImport.Result::root).orElse("(not run)");
      match &= nodeResult(p).isEmpty() || tally.equals(nodeRoot);
      out.printf("%-16s Tally %s%n", p, tally);
      if (diskRoot.isPresent() && !tally.equals(diskRoot.get())) {
        out.printf("%-16s disk  %s%n", "", diskRoot.get());
      }
      out.printf("%-16s Node  %s  %s%n", "", nodeRoot, match ? "match" : "MISMATCH");
      allMatch &= match;
    }
    return allMatch;
  }

  private Optional<NodeImport.Result> nodeResult(Profile p) {
    return Optional.ofNullable(node.get(p.profileName()));
  }

  private double mbps(Timing.Best<String> best) {
    return best.mbPerSec(bytes);
  }

  private Row row(String label, Timing.Best<String> best) {
    return new Row(label, best.mbPerSec(bytes), best.seconds(), best.cpuSeconds());
  }

  private static void printRows(PrintStream out, String heading, List<Row> rows) {
    out.printf("%-60s %9s %8s %8s%n", heading, "MB/s", "wall s", "CPU s");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-60s %9.1f %8.3f %8.3f%n",
          r.label(),
          r.mbPerSec(),
          r.seconds(),
          r.cpuSeconds());
    }
  }

  private static void cpuRatio(
      PrintStream out, String label, double referenceCpuSeconds, Timing.Best<String> measured) {
    out.printf(Locale.ROOT, "%-52s %7.2f%n", label, referenceCpuSeconds / measured.cpuSeconds());
  }

  private static void ratio(PrintStream out, String label, double value, double goal) {
    out.printf(
        Locale.ROOT,
        "%-52s %7.2f  >= %.2f %s%n",
        label,
        value,
        goal,
        value >= goal ? "met" : "MISSED");
  }
}
