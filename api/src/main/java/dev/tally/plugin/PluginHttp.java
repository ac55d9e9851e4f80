package dev.tally.plugin;

import dev.tally.plugin.spi.http.PluginRequest;
import dev.tally.plugin.spi.http.PluginResponse;
import dev.tally.plugin.spi.http.RouteException;
import dev.tally.plugin.spi.log.Heads;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Serves plugin routes under {@code /plugins/<name>/} and {@code /api/v0/plugins/ls} on the API
 * server, and passes every other request to {@code next} (the RPC API). Handlers run on the
 * plugin's own threads; this class only reads bodies (bounded) and writes answers on the event
 * loop.
 */
public final class PluginHttp implements Handler<HttpServerRequest> {
  public static final String PREFIX = "/plugins/";
  public static final String LS = "/api/v0/plugins/ls";

  private final PluginHost host;
  private final Handler<HttpServerRequest> next;

  public PluginHttp(PluginHost host, Handler<HttpServerRequest> next) {
    this.host = host;
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals(LS) || path.equals(LS + "/")) {
      ls(request);
    } else if (path.startsWith(PREFIX)) {
      route(request, path.substring(PREFIX.length()));
    } else {
      next.handle(request);
    }
  }

  /** {@code POST /api/v0/plugins/ls}: as the other RPC commands, POST only, same origin only. */
  private void ls(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST) {
      request
          .response()
          .setStatusCode(405)
          .putHeader("Allow", "POST")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("405 - Method Not Allowed\n");
      return;
    }
    if (crossOrigin(request)) {
      request.response().setStatusCode(403).end("403 - Forbidden\n");
      return;
    }
    JsonArray plugins = new JsonArray();
    for (PluginStatus s : host.list()) {
      plugins.add(
          new JsonObject()
              .put("Name", s.name())
              .put("State", s.state().name())
              .put("Origin", s.origin())
              .put("SpiVersion", s.spiVersion().orElse(""))
              .put("Error", s.error().orElse(""))
              .put("Routes", new JsonArray(s.routes()))
              .put(
                  "Positions",
                  new JsonArray(s.positions().stream().map(Heads::toString).toList())));
    }
    request
        .response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("Plugins", plugins).encode() + "\n");
  }

  private void route(HttpServerRequest request, String rest) {
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    String sub = slash < 0 ? "/" : rest.substring(slash);
    if (crossOrigin(request)) {
      error(request.response(), 403, "cross-origin requests to plugin routes are refused");
      return;
    }
    Optional<PluginRuntime> found = host.runtime(name);
    if (found.isEmpty()) {
      error(request.response(), 404, "no plugin named \"" + name + "\" (see tally plugins ls)");
      return;
    }
    PluginRuntime runtime = found.get();
    if (runtime.state() != PluginState.RUNNING) {
      PluginStatus s = runtime.status();
      error(
          request.response(),
          503,
          "plugin " + name + " is " + s.state() + s.error().map(e -> ": " + e).orElse(""));
      return;
    }
    String method =
        request.method() == HttpMethod.HEAD ? "GET" : request.method().name().toUpperCase();
    Optional<RouteTable.Match> match = runtime.routes().match(method, sub);
    if (match.isEmpty()) {
      Set<String> allowed = runtime.routes().allowed(sub);
      if (allowed.isEmpty()) {
        error(request.response(), 404, "plugin " + name + " has no route " + sub);
      } else {
        request.response().putHeader("Allow", String.join(", ", allowed));
        error(request.response(), 405, request.method() + " is not allowed on " + sub);
      }
      return;
    }
    Map<String, List<String>> query;
    try {
      query = query(request);
    } catch (IllegalArgumentException e) {
      // Decoded before the body is read: thrown from the end handler it left the client waiting.
      request.response().putHeader("Connection", "close");
      error(request.response(), 400, "malformed query string: " + e.getMessage());
      return;
    }
    Context context = Vertx.currentContext();
    int max = host.options().maxRequestBody();
    String length = request.getHeader("Content-Length");
    if (length != null && parseLong(length) > max) {
      request.response().putHeader("Connection", "close");
      error(request.response(), 413, "request body over the limit of " + max + " bytes");
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] over = new boolean[1];
    request.handler(
        chunk -> {
          if (over[0]) {
            return;
          }
          if (body.length() + chunk.length() > max) {
            over[0] = true;
            request.response().putHeader("Connection", "close");
            error(request.response(), 413, "request body over the limit of " + max + " bytes");
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (over[0]) {
            return;
          }
          PluginRequest pr =
              new PluginRequest(
                  request.method().name().toUpperCase(),
                  sub,
                  decode(match.get().params()),
                  query,
                  ByteBuffer.wrap(body.getBytes()));
          runtime
              .handle(match.get().route().handler(), pr)
              .whenComplete(
                  (response, failure) ->
                      context.runOnContext(
                          x -> {
                            if (failure != null) {
                              fail(request.response(), failure);
                            } else {
                              answer(request, response);
                            }
                          }));
        });
  }

  private static void answer(HttpServerRequest request, PluginResponse r) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(r.status()).putHeader("Content-Type", r.contentType());
    r.headers().forEach(response::putHeader);
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader("Content-Length", Integer.toString(r.body().length)).end();
    } else {
      response.end(Buffer.buffer(r.body()));
    }
  }

  private static void fail(HttpServerResponse response, Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RouteException re) {
      error(response, re.status(), re.getMessage());
    } else {
      error(response, 500, "the plugin failed: " + PluginDiscovery.describe(t));
    }
  }

  private static void error(HttpServerResponse response, int status, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", message).encode() + "\n");
  }

  private static Map<String, List<String>> query(HttpServerRequest request) {
    Map<String, List<String>> out = new HashMap<>();
    for (String name : request.params().names()) {
      out.put(name, List.copyOf(request.params().getAll(name)));
    }
    return out;
  }

  private static Map<String, String> decode(Map<String, String> params) {
    Map<String, String> out = new HashMap<>();
    params.forEach((k, v) -> out.put(k, URLDecoder.decode(v, StandardCharsets.UTF_8)));
    return out;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static boolean crossOrigin(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return false;
    }
    String h = request.getHeader("Host");
    return h == null || !(origin.equals("http://" + h) || origin.equals("https://" + h));
  }
}
