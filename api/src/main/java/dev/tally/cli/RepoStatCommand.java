package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoStat;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * --human} prints sizes as Kubo's go-humanize {@code Bytes} does, e.g. {@code 50 kB}, {@code 10
 * GB}; {@code --size-only} drops the object count, path and version).
 */
@Command(name = "stat", description = "Get stats for the currently used repo.")
final class RepoStatCommand implements Callable<Integer> {
  private static final String[] SI = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

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
  public Integer call() throws java.io.IOException {
    RepoStat s;
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      var j = daemon.get().json("repo/stat", Params.of().add("size-only", sizeOnly));
      s =
          new RepoStat(
              j.getLong("NumObjects", 0L),
              j.getLong("RepoSize"),
              j.getLong("StorageMax"),
              java.nio.file.Path.of(j.getString("RepoPath", "")),
              j.getString("Version", ""));
    } else {
      try (Repo r = repo.open()) {
        s = r.stat();
      }
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
    return new String[] {label + ":", human ? humanBytes(bytes) : Long.toString(bytes)};
  }

  /**
   * go-humanize's {@code Bytes}: SI units, one decimal below 10, none above; Go's {@code %.0f}
   * rounds an exact half to even, hence HALF_EVEN.
   */
  static String humanBytes(long bytes) {
    if (bytes < 10) {
      return bytes + " B";
    }
    int e = (int) Math.floor(Math.log(bytes) / Math.log(1000));
    double val = Math.floor(bytes / Math.pow(1000, e) * 10 + 0.5) / 10;
    int decimals = val < 10 ? 1 : 0;
    return new BigDecimal(val).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString()
        + " "
        + SI[e];
  }
}
