package dev.tally.plugin.spi;

/**
 * A plugin: found by {@link java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/dev.tally.plugin.spi.TallyPlugin}), started once with its context, stopped
 * once. The node calls {@link #start} and {@link #stop} on the plugin's own thread with a time
 * limit; a plugin that throws or overruns is stopped and reported in {@code tally plugins ls}, and
 * the node and other plugins keep running.
 */
public interface TallyPlugin {
  /**
   * The plugin's name: lower-case letters, digits and dashes, starting with a letter, at most 63
   * characters. It names the routes ({@code /plugins/<name>/}), the config section and the private
   * database; two plugins with one name are refused.
   */
  String name();

  /**
   * The SPI version this plugin was compiled against: implement it as {@code return
   * SpiVersion.CURRENT;} (see {@link SpiVersion} for why that reports the right version).
   */
  String spiVersion();

  /**
   * Registers routes, opens tables, subscribes to entries. Routes can only be registered here.
   * Throwing fails the plugin (the message is shown to the user).
   */
  void start(PluginContext context) throws Exception;

  /**
   * Releases what {@link #start} acquired. The node cancels the plugin's subscriptions, removes its
   * routes and closes its database after this returns (or overruns).
   */
  void stop() throws Exception;
}
