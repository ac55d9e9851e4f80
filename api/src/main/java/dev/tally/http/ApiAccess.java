package dev.tally.http;

import dev.tally.storage.repo.ApiSection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may use the RPC API, as Kubo's {@code API.HTTPHeaders} and {@code API.Authorizations} decide:
 * configured headers go on every answer; a browser request from another origin is served only when
 * {@code Access-Control-Allow-Origin} lists that origin (or {@code *}), and its preflight is
 * answered; with authorizations configured, every request needs a matching {@code Authorization}
 * header and may reach only the paths its secret allows. Reads the config per request, so {@code
 * tally config} changes apply at once.
 */
public final class ApiAccess {
  private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  private static final String ALLOW_METHODS = "Access-Control-Allow-Methods";

  private final Supplier<ApiSection> config;

  public ApiAccess(Supplier<ApiSection> config) {
    this.config = config;
  }

  /**
   * Checks {@code request}; answers it (403, or a CORS preflight) and returns false when it must
   * not reach a command; otherwise puts the configured headers on its response and returns true.
   */
  public boolean admit(HttpServerRequest request) {
    ApiSection api = config.get();
    HttpServerResponse response = request.response();
    String origin = request.getHeader("Origin");
    boolean crossOrigin = origin != null && !sameOrigin(origin, request.getHeader("Host"));
    if (crossOrigin && !originAllowed(api, origin)) {
      // As Kubo without API.HTTPHeaders: a web page on another origin must not drive the node.
      forbid(response, "403 - Forbidden\n");
      return false;
    }
    for (Map.Entry<String, List<String>> h : api.httpHeaders().entrySet()) {
      if (!h.getKey().equalsIgnoreCase(ALLOW_ORIGIN)) {
        response.putHeader(h.getKey(), h.getValue());
      }
    }
    if (crossOrigin) {
      response.putHeader(ALLOW_ORIGIN, origin).putHeader("Vary", "Origin");
    }
    if (crossOrigin && request.method() == HttpMethod.OPTIONS) {
      // The preflight: browsers send no credentials with it.
      if (!api.httpHeaders().containsKey(ALLOW_METHODS)) {
        response.putHeader(ALLOW_METHODS, "POST");
      }
      String asked = request.getHeader("Access-Control-Request-Headers");
      if (asked != null) {
        response.putHeader("Access-Control-Allow-Headers", asked);
      }
      response.setStatusCode(200).end();
      return false;
    }
    if (api.authorizations().isEmpty()) {
      return true;
    }
    Optional<ApiSection.Authorization> who = authorize(api, request.getHeader("Authorization"));
    if (who.isEmpty()) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"tally\"");
      forbid(response, "403 - Forbidden: missing or unknown Authorization credentials\n");
      return false;
    }
    if (!allowed(who.get().allowedPaths(), request.path())) {
      forbid(response, "403 - Forbidden: these credentials may not use " + request.path() + "\n");
      return false;
    }
    return true;
  }

  /** The authorization whose secret {@code header} presents, if any (constant-time compares). */
  public static Optional<ApiSection.Authorization> authorize(ApiSection api, String header) {
    if (header == null) {
      return Optional.empty();
    }
    String presented;
    int space = header.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String scheme = header.substring(0, space).toLowerCase(java.util.Locale.ROOT);
    String value = header.substring(space + 1).trim();
    if (scheme.equals("bearer")) {
      presented = "bearer:" + value;
    } else if (scheme.equals("basic")) {
      try {
        presented =
            "basic:" + new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    } else {
      return Optional.empty();
    }
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    ApiSection.Authorization found = null;
    for (ApiSection.Authorization a : api.authorizations().values()) {
      if (MessageDigest.isEqual(given, a.authSecret().getBytes(StandardCharsets.UTF_8))) {
        found = a;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The name under {@code API.Authorizations} of the secret {@code header} presents. */
  public static Optional<String> user(ApiSection api, String header) {
    Optional<ApiSection.Authorization> a = authorize(api, header);
    return api.authorizations().entrySet().stream()
        .filter(e -> a.isPresent() && e.getValue() == a.get())
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * A path prefix matches whole segments: {@code /api/v0/id} does not allow {@code /api/v0/idx}.
   */
  public static boolean allowed(List<String> prefixes, String path) {
    for (String p : prefixes) {
      String prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
      if (prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }

  private static boolean originAllowed(ApiSection api, String origin) {
    for (Map.Entry<String, List<String>> h : api.httpHeaders().entrySet()) {
      if (h.getKey().equalsIgnoreCase(ALLOW_ORIGIN)) {
        return h.getValue().contains("*") || h.getValue().contains(origin);
      }
    }
    return false;
  }

  private static boolean sameOrigin(String origin, String host) {
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private static void forbid(HttpServerResponse response, String text) {
    response.setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end(text);
  }
}
