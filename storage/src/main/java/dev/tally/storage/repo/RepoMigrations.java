package dev.tally.storage.repo;

import java.nio.file.Path;
import java.util.List;

/**
 * Steps that bring an older repo to {@link RepoConfig#CURRENT_VERSION}, run in order by {@link
 * Repo#open} before anything else reads the repo. Version 1 is the first: there is nothing to
 * migrate yet; a version 2 adds its step here.
 */
final class RepoMigrations {
  /** Rewrites a repo at version {@code from()} to {@code from() + 1}, config version included. */
  interface Migration {
    int from();

    void apply(Path dir);
  }

  static final List<Migration> ALL = List.of();

  private RepoMigrations() {}

  /** Runs every step from {@code version} up; returns the version reached. */
  static int migrate(Path dir, int version, List<Migration> steps) {
    int v = version;
    for (Migration m : steps) {
      if (m.from() == v) {
        m.apply(dir);
        v++;
      }
    }
    if (v != RepoConfig.CURRENT_VERSION) {
      throw new RepoException(
          "repo "
              + dir
              + " is at version "
              + v
              + " and no migration leads to "
              + RepoConfig.CURRENT_VERSION);
    }
    return v;
  }
}
