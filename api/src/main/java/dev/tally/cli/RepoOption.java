package dev.tally.cli;

import dev.tally.storage.repo.Repo;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --repo DIR} option every repo-using command shares (default {@code $TALLY_PATH} or
 * {@code ~/.tally}).
 */
final class RepoOption {
  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description = "Repository directory (default: $TALLY_PATH or ~/.tally).")
  Path repo;

  Path path() {
    return repo != null ? repo : Repo.defaultPath();
  }

  Repo open() {
    return Repo.open(path());
  }

  Repo openOrInit() {
    return Repo.openOrInit(path());
  }
}
