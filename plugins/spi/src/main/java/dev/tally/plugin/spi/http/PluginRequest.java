package dev.tally.plugin.spi.http;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request to a plugin route.
 *
 * @param method {@code GET}, {@code HEAD} or {@code POST}
 * @param path the path below {@code /plugins/<name>}, e.g. {@code /loans/bafy...}
 * @param pathParams the values of the route's {@code {name}} segments
 * @param query the query parameters, each with its values in order
 * @param body the request body (empty for GET), read-only
 */
public record PluginRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    ByteBuffer body) {
  public PluginRequest {
    pathParams = Map.copyOf(pathParams);
    query = Map.copyOf(query);
    body = body.asReadOnlyBuffer();
  }

  /**
   * The value of a {@code {name}} path segment.
   *
   * @throws IllegalArgumentException when the route has no such segment (a bug in the plugin)
   */
  public String pathParam(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalArgumentException("route has no path parameter {" + name + "}");
    }
    return v;
  }

  /** The first value of a query parameter. */
  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * An integer query parameter within {@code [min, max]}.
   *
   * @throws RouteException 400 naming the parameter when it is not such an integer
   */
  public long query(String name, long fallback, long min, long max) {
    Optional<String> v = query(name);
    if (v.isEmpty()) {
      return fallback;
    }
    long n;
    try {
      n = Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw RouteException.badRequest(
          "query parameter \"" + name + "\" must be an integer, got \"" + v.get() + "\"");
    }
    if (n < min || n > max) {
      throw RouteException.badRequest(
          "query parameter \"" + name + "\" must be in " + min + ".." + max + ", got " + n);
    }
    return n;
  }
}
