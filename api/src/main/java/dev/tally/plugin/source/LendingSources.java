package dev.tally.plugin.source;

import dev.tally.log.store.Replicas;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.PluginOptions;

/** The lending source of a running node, for the plugin host. */
public final class LendingSources {
  /** How often the source looks for new heads (plugins also see new heads at their next read). */
  public static final long POLL_MILLIS = 250;

  private LendingSources() {}

  /**
   * What the plugins of a node holding {@code replicas} read: the lending log chosen by {@code
   * options} ({@code host.log}, else the node's only log), folded into lending state. The plugin
   * host closes it.
   */
  public static LogLendingSource of(Replicas replicas, PluginOptions options) {
    return new LogLendingSource(
        new RepoLendingLog(replicas, options.log().map(Cid::parse)), POLL_MILLIS);
  }
}
