package dev.tally.plugin.spi.http;

/**
 * Registers routes under {@code /plugins/<name>}. A path is {@code /} or segments such as {@code
 * /loans/{id}}, where a {@code {name}} segment matches any one segment and is read with {@link
 * PluginRequest#pathParam}. Literal segments win over parameters.
 *
 * <p>Handlers run on a worker thread of the plugin, never on the server's event loop, with a time
 * limit; a handler that overruns gets the client a 504 and the plugin is stopped.
 */
public interface HttpRoutes {
  /** Answers {@code GET} (and {@code HEAD}) on {@code path}. */
  void get(String path, RouteHandler handler);

  /** Answers {@code POST} on {@code path}. */
  void post(String path, RouteHandler handler);
}
