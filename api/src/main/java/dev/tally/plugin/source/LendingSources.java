package dev.tally.plugin.source;

import dev.tally.log.store.HeadsFiles;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.PluginOptions;
import dev.tally.storage.repo.Repo;

/** The lending source of a node's repo, for the plugin host. */
public final class LendingSources {
  /** How often the source looks for new heads (plugins also see new heads at their next read). */
  public static final long POLL_MILLIS = 250;

  private LendingSources() {}

  /**
   * What the plugins of the node serving {@code repo} read: the lending log chosen by {@code
   * options} ({@code host.log}, else the node's only log), folded into lending state. Close it
   * after the plugins.
   */
  public static LogLendingSource of(Repo repo, PluginOptions options) {
    return new LogLendingSource(
        new RepoLendingLog(
            repo.blocks(), HeadsFiles.ofRepo(repo.dir()), options.log().map(Cid::parse)),
        POLL_MILLIS);
  }
}
