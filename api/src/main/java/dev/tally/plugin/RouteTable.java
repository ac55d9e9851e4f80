package dev.tally.plugin;

import dev.tally.plugin.spi.http.RouteHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * One plugin's routes: {@code METHOD /a/{param}/b} patterns matched segment by segment, literal
 * segments before parameters. Filled during {@code start}, then read-only.
 */
final class RouteTable {
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~-]+");
  private static final Pattern PARAM = Pattern.compile("\\{[A-Za-z][A-Za-z0-9_]*}");
  static final int MAX_ROUTES = 256;

  record Route(String method, String path, List<String> segments, RouteHandler handler) {}

  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new CopyOnWriteArrayList<>();

  void add(String method, String path, RouteHandler handler) {
    List<String> segments = segments(path);
    for (String s : segments) {
      if (!LITERAL.matcher(s).matches() && !PARAM.matcher(s).matches()) {
        throw new IllegalArgumentException(
            "route path \""
                + path
                + "\": segment \""
                + s
                + "\" must be letters, digits, ._~- or a {name} parameter");
      }
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("route path \"" + path + "\" must start with /");
    }
    for (Route r : routes) {
      if (r.method.equals(method) && shape(r.segments).equals(shape(segments))) {
        throw new IllegalArgumentException(
            method + " " + path + " is already registered as " + method + " " + r.path);
      }
    }
    if (routes.size() >= MAX_ROUTES) {
      throw new IllegalArgumentException("a plugin may register at most " + MAX_ROUTES + " routes");
    }
    routes.add(new Route(method, path, segments, handler));
  }

  /** The best route for {@code method} on {@code path}: literal segments win over parameters. */
  Optional<Match> match(String method, String path) {
    List<String> parts = segments(path);
    Match best = null;
    String bestShape = null;
    for (Route r : routes) {
      if (!r.method.equals(method) || r.segments.size() != parts.size()) {
        continue;
      }
      Map<String, String> params = bind(r.segments, parts);
      if (params == null) {
        continue;
      }
      // '1' (literal) sorts after '0' (parameter): the greatest shape is the most literal.
      String shape = shape(r.segments);
      if (bestShape == null || shape.compareTo(bestShape) > 0) {
        best = new Match(r, params);
        bestShape = shape;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Methods that some route answers on {@code path} (for 405's {@code Allow}). */
  Set<String> allowed(String path) {
    List<String> parts = segments(path);
    Set<String> methods = new TreeSet<>();
    for (Route r : routes) {
      if (r.segments.size() == parts.size() && bind(r.segments, parts) != null) {
        methods.add(r.method);
      }
    }
    return methods;
  }

  List<String> describe(String prefix) {
    List<String> out = new ArrayList<>();
    for (Route r : routes) {
      out.add(r.method + " " + prefix + (r.path.equals("/") ? "" : r.path.substring(1)));
    }
    return out;
  }

  private static Map<String, String> bind(List<String> pattern, List<String> parts) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String p = pattern.get(i);
      if (p.startsWith("{")) {
        params.put(p.substring(1, p.length() - 1), parts.get(i));
      } else if (!p.equals(parts.get(i))) {
        return null;
      }
    }
    return params;
  }

  private static String shape(List<String> segments) {
    StringBuilder s = new StringBuilder();
    for (String seg : segments) {
      s.append(seg.startsWith("{") ? '0' : '1');
    }
    return s
        + "|"
        + String.join("/", segments.stream().map(x -> x.startsWith("{") ? "*" : x).toList());
  }

  static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }
}
