package dev.tally.plugin.spi;

import dev.tally.plugin.spi.http.HttpRoutes;
import dev.tally.plugin.spi.lending.LendingSnapshot;
import dev.tally.plugin.spi.log.EntryListener;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.RecordQuery;
import dev.tally.plugin.spi.log.Subscription;
import javax.sql.DataSource;

/**
 * What the node gives one plugin. Everything here is read-only over the verified replica: a plugin
 * can never append to the log or see unverified data.
 */
public interface PluginContext {
  /** The plugin's name, as {@link TallyPlugin#name()} returned it. */
  String name();

  /**
   * The lending state derived from the verified log at the node's current heads: an immutable
   * snapshot, consistent with the heads it reports. Cheap to call; call again for newer state.
   */
  LendingSnapshot lending();

  /** Read access to the verified log entries themselves. */
  RecordQuery records();

  /**
   * Delivers every verified entry after {@code from} (entries reachable from the node's heads but
   * not from {@code from}), oldest first in the log's total order, so every entry comes after the
   * entries it links to; then each new entry as it is verified. Each delivery carries the heads the
   * plugin has seen once it returns: store them with your own state and subscribe from them after a
   * restart. {@link Heads#NONE} starts at the beginning of the log.
   *
   * <p>Deliveries run one at a time on the plugin's thread, after {@link TallyPlugin#start}
   * returns; each has a time limit.
   */
  Subscription subscribe(Heads from, EntryListener listener);

  /**
   * The plugin's private SQL database (H2, under {@code <repo>/plugins/data/<name>}): only this
   * plugin sees its tables. Close the connections you open; the node closes the pool at stop.
   */
  DataSource database();

  /**
   * Registers HTTP routes under {@code /plugins/<name>/}; only during {@link TallyPlugin#start}.
   */
  HttpRoutes routes();

  /** The plugin's section of {@code <repo>/plugins/config.json} (empty when absent). */
  PluginConfig config();

  /** A logger whose lines name the plugin. */
  System.Logger logger();
}
