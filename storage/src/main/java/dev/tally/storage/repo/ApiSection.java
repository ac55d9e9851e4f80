package dev.tally.storage.repo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config's {@code API} section, as Kubo names it.
 *
 * <pre>{@code
 * "API": {
 *   "HTTPHeaders": { "Access-Control-Allow-Origin": ["https://app.example"] },
 *   "Authorizations": {
 *     "alice": { "AuthSecret": "bearer:s3cret", "AllowedPaths": ["/api/v0"] },
 *     "bob":   { "AuthSecret": "basic:bob:pa55", "AllowedPaths": ["/api/v0/id", "/pins"] }
 *   }
 * }
 * }</pre>
 *
 * @param httpHeaders headers every RPC answer carries; {@code Access-Control-Allow-Origin} (and
 *     {@code -Methods}) also decide which cross-origin browser requests are served
 * @param authorizations when not empty, every request must present one of these secrets, and may
 *     only reach the paths it allows
 */
public record ApiSection(
    Map<String, List<String>> httpHeaders, Map<String, Authorization> authorizations) {
  private static final Set<String> KEYS = Set.of("HTTPHeaders", "Authorizations");
  private static final Set<String> AUTH_KEYS = Set.of("AuthSecret", "AllowedPaths");

  public ApiSection {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    httpHeaders.forEach((k, v) -> headers.put(k, List.copyOf(v)));
    httpHeaders = java.util.Collections.unmodifiableMap(headers);
    authorizations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(authorizations));
  }

  public static ApiSection defaults() {
    return new ApiSection(Map.of(), Map.of());
  }

  /**
   * One user's credentials.
   *
   * @param authSecret {@code bearer:TOKEN} or {@code basic:USER:PASSWORD}
   * @param allowedPaths path prefixes this secret may reach ({@code /api/v0} for all commands)
   */
  public record Authorization(String authSecret, List<String> allowedPaths) {
    public Authorization {
      if (!authSecret.startsWith("bearer:") && !authSecret.startsWith("basic:")) {
        throw new RepoException(
            "config: API.Authorizations AuthSecret must be 'bearer:TOKEN' or"
                + " 'basic:USER:PASSWORD'");
      }
      if (authSecret.startsWith("basic:") && authSecret.indexOf(':', 6) < 0) {
        throw new RepoException(
            "config: API.Authorizations AuthSecret 'basic:' must be followed by USER:PASSWORD");
      }
      if (authSecret.indexOf(':') == authSecret.length() - 1) {
        throw new RepoException("config: API.Authorizations AuthSecret has an empty secret");
      }
      allowedPaths = List.copyOf(allowedPaths);
      for (String p : allowedPaths) {
        if (!p.startsWith("/")) {
          throw new RepoException(
              "config: API.Authorizations AllowedPaths entries are paths like '/api/v0', got '"
                  + p
                  + "'");
        }
      }
    }
  }

  static ApiSection parse(JsonObject section) {
    rejectUnknown(section, KEYS, "API.");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    JsonObject h = object(section, "HTTPHeaders", "API.HTTPHeaders");
    for (String name : h.fieldNames()) {
      headers.put(name, strings(h.getValue(name), "API.HTTPHeaders." + name));
    }
    Map<String, Authorization> auths = new LinkedHashMap<>();
    JsonObject a = object(section, "Authorizations", "API.Authorizations");
    for (String user : a.fieldNames()) {
      String where = "API.Authorizations." + user;
      JsonObject entry = object(a, user, where);
      rejectUnknown(entry, AUTH_KEYS, where + ".");
      Object secret = entry.getValue("AuthSecret");
      if (!(secret instanceof String text)) {
        throw new RepoException("config: '" + where + ".AuthSecret' must be a string");
      }
      auths.put(
          user,
          new Authorization(
              text,
              strings(entry.getValue("AllowedPaths", new JsonArray()), where + ".AllowedPaths")));
    }
    return new ApiSection(headers, auths);
  }

  JsonObject toJson() {
    JsonObject headers = new JsonObject();
    httpHeaders.forEach((k, v) -> headers.put(k, new JsonArray(v)));
    JsonObject auths = new JsonObject();
    authorizations.forEach(
        (k, v) ->
            auths.put(
                k,
                new JsonObject()
                    .put("AuthSecret", v.authSecret())
                    .put("AllowedPaths", new JsonArray(v.allowedPaths()))));
    return new JsonObject().put("HTTPHeaders", headers).put("Authorizations", auths);
  }

  private static List<String> strings(Object value, String key) {
    if (!(value instanceof JsonArray array)) {
      throw new RepoException("config: '" + key + "' must be a list of strings");
    }
    List<String> out = new java.util.ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new RepoException("config: '" + key + "' must be a list of strings");
      }
      out.add(s);
    }
    return out;
  }

  private static JsonObject object(JsonObject parent, String key, String where) {
    Object value = parent.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject o)) {
      throw new RepoException("config: '" + where + "' must be an object");
    }
    return o;
  }

  private static void rejectUnknown(JsonObject object, Set<String> known, String prefix) {
    for (String key : object.fieldNames()) {
      if (!known.contains(key)) {
        throw new RepoException("config: unknown key '" + prefix + key + "'");
      }
    }
  }
}
