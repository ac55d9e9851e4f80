package dev.tally.plugin;

import dev.tally.plugin.spi.log.Heads;
import java.util.List;
import java.util.Optional;

/**
 * What {@code tally plugins ls} shows for one plugin.
 *
 * @param name the plugin's name (for a jar that could not be loaded, the jar's file name)
 * @param origin {@code classpath} or the jar's path
 * @param state where it is
 * @param spiVersion the SPI version it was compiled against (empty if unknown)
 * @param error why it failed
 * @param routes its routes, as {@code METHOD /plugins/<name>/path}
 * @param positions the heads each of its subscriptions has been delivered up to
 */
public record PluginStatus(
    String name,
    String origin,
    PluginState state,
    Optional<String> spiVersion,
    Optional<String> error,
    List<String> routes,
    List<Heads> positions) {
  public PluginStatus {
    routes = List.copyOf(routes);
    positions = List.copyOf(positions);
  }
}
