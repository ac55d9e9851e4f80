package dev.tally.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a plugin route of the running daemon as JSON, for the CLI's lending views. */
final class PluginViews {
  private PluginViews() {}

  /**
   * GETs {@code /plugins/<plugin><path>} from the daemon serving {@code repo}.
   *
   * @throws IllegalStateException with the plugin's own error message when it refuses
   */
  static JsonObject get(Path repo, String plugin, String path, List<Map.Entry<String, String>> q) {
    ApiClient api = ApiClient.require(repo);
    HttpResponse<String> r;
    try {
      r = api.get("/plugins/" + plugin + path, q);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    JsonObject body;
    try {
      body = new JsonObject(r.body());
    } catch (DecodeException e) {
      throw new IllegalStateException(
          "the daemon answered " + r.statusCode() + " with a body that is not JSON: " + r.body());
    }
    if (r.statusCode() != 200) {
      throw new IllegalStateException(body.getString("error", r.body().strip()));
    }
    return body;
  }

  /** A path segment for a route ({@code /loans/ID}). */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The {@code amount} of a money object, e.g. {@code 888.49}. */
  static String amount(JsonObject money) {
    return money == null ? "-" : money.getString("amount");
  }

  /** The heads line every view prints under its table: which log the figures reflect. */
  static String reflects(JsonObject body) {
    List<Object> heads = body.getJsonArray("heads").getList();
    return "at heads "
        + (heads.isEmpty()
            ? "(empty log)"
            : String.join(",", heads.stream().map(String::valueOf).toList()))
        + ", business date "
        + body.getString("businessDate");
  }
}
