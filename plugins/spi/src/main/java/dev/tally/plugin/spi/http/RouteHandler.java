package dev.tally.plugin.spi.http;

/** Answers one request. A {@link RouteException} becomes its status; anything else a 500. */
@FunctionalInterface
public interface RouteHandler {
  PluginResponse handle(PluginRequest request) throws Exception;
}
