package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoStat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally repo stat}: Kubo's text, its labels aligned as Go's tabwriter aligns them ({@code
 * --human} gives MiB for sizes of at least 1 MiB, {@code --size-only} drops path and version).
 */
@Command(name = "stat", description = "Get stats for the currently used repo.")
final class RepoStatCommand implements Callable<Integer> {
  private static final long MIB = 1024 * 1024;

  @Mixin RepoOption repo;

  @Option(
      names = {"-s", "--size-only"},
      description = "Only report RepoSize and StorageMax.")
  boolean sizeOnly;

  @Option(
      names = {"-H", "--human"},
      description = "Print sizes in human readable format (e.g., 1K 234M 2G).")
  boolean human;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RepoStat s;
    try (Repo r = repo.open()) {
      s = r.stat();
    }
    List<String[]> rows = new ArrayList<>();
    if (!sizeOnly) {
      rows.add(new String[] {"NumObjects:", Long.toString(s.numObjects())});
    }
    rows.add(size("RepoSize", s.repoSize()));
    rows.add(size("StorageMax", s.storageMax()));
    if (!sizeOnly) {
      rows.add(new String[] {"RepoPath:", s.repoPath().toString()});
      rows.add(new String[] {"Version:", s.version()});
    }
    int width = 0;
    for (String[] row : rows) {
      width = Math.max(width, row[0].length());
    }
    for (String[] row : rows) {
      spec.commandLine()
          .getOut()
          .println(String.format("%-" + (width + 1) + "s%s", row[0], row[1]));
    }
    return 0;
  }

  private String[] size(String label, long bytes) {
    if (human && bytes / MIB > 0) {
      return new String[] {label + " (MiB):", Long.toString(bytes / MIB)};
    }
    return new String[] {label + ":", Long.toString(bytes)};
  }
}
