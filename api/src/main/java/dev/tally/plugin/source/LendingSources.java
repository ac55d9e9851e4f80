package dev.tally.plugin.source;

import dev.tally.plugin.LendingSource;
import dev.tally.storage.repo.Repo;

/** The lending source of a node's repo, for the plugin host. */
public final class LendingSources {
  private LendingSources() {}

  /** What the plugins of the node serving {@code repo} read. */
  public static LendingSource of(Repo repo) {
    return new EmptyLendingSource();
  }
}
