package dev.tally.pinning;

import dev.tally.http.ApiAccess;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrProtocol;
import dev.tally.storage.repo.ApiSection;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * {@code /pins} and {@code /pins/{requestid}} as the IPFS Pinning Service API v1.0.0 defines them.
 * Every request needs {@code Authorization: Bearer TOKEN}: with {@code API.Authorizations}
 * configured the token must be one of its bearer secrets allowed {@code /pins}, and the user is
 * that entry's name. Without, any token is accepted and names its own account (a hash of it) — but
 * only while the API listens on loopback: on any other address every request is refused until
 * tokens are configured, since anyone who can reach the port could otherwise pin at will. Errors
 * are the spec's {@code {"error":{reason,details}}}.
 */
public final class PinningApi implements Handler<HttpServerRequest> {
  public static final String PREFIX = "/pins";
  static final int MAX_BODY = 64 * 1024;

  private final PinningService service;
  private final WorkerExecutor workers;
  private final Supplier<ApiSection> config;
  private final Multiaddr listensOn;

  /**
   * @param listensOn the API's address: when it is not loopback, configured tokens are required
   */
  public PinningApi(
      PinningService service,
      WorkerExecutor workers,
      Supplier<ApiSection> config,
      Multiaddr listensOn) {
    this.service = service;
    this.workers = workers;
    this.config = config;
    this.listensOn = listensOn;
  }

  /** Whether {@code address} is reachable from this host only (127.0.0.0/8 or ::1). */
  public static boolean isLoopback(Multiaddr address) {
    Optional<String> ip =
        address.valueOf(MultiaddrProtocol.IP4).or(() -> address.valueOf(MultiaddrProtocol.IP6));
    try {
      // An IP literal is parsed, never looked up.
      return ip.isPresent() && InetAddress.getByName(ip.get()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Why the API refuses every request with this config, if it does: listening beyond loopback
   * without a bearer token allowed {@code /pins} in {@code API.Authorizations}.
   */
  public static Optional<String> refusal(Multiaddr listensOn, ApiSection api) {
    if (isLoopback(listensOn) || !api.authorizations().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "the Pinning Service API listens on "
            + listensOn
            + ", beyond loopback, and API.Authorizations holds no bearer token: configure one"
            + " (tally config --json API.Authorizations '{\"alice\":{\"AuthSecret\":"
            + "\"bearer:TOKEN\",\"AllowedPaths\":[\"/pins\"]}}') or bind Addresses.API to"
            + " 127.0.0.1");
  }

  /** Whether {@code path} is this API's. */
  public static boolean owns(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  @Override
  public void handle(HttpServerRequest request) {
    ApiSection api = config.get();
    Optional<String> refused = refusal(listensOn, api);
    if (refused.isPresent()) {
      request.response().putHeader("WWW-Authenticate", "Bearer");
      error(request, 401, "UNAUTHORIZED", refused.get());
      return;
    }
    Optional<String> user = user(api, request);
    if (user.isEmpty()) {
      request.response().putHeader("WWW-Authenticate", "Bearer");
      error(request, 401, "UNAUTHORIZED", "Access token is missing or invalid");
      return;
    }
    String u = user.get();
    String path = request.path();
    String id = path.length() > PREFIX.length() + 1 ? path.substring(PREFIX.length() + 1) : "";
    HttpMethod m = request.method();
    if (id.contains("/")) {
      error(request, 404, "NOT_FOUND", "The specified resource was not found: " + path);
    } else if (id.isEmpty() && m == HttpMethod.GET) {
      list(request, u);
    } else if (id.isEmpty() && m == HttpMethod.POST) {
      body(request, pin -> service.add(u, pin));
    } else if (!id.isEmpty() && m == HttpMethod.GET) {
      answer(
          request,
          200,
          () ->
              service
                  .get(u, id)
                  .orElseThrow(() -> new PinningService.NotFoundException(id))
                  .toStatus(service.delegates()));
    } else if (!id.isEmpty() && m == HttpMethod.POST) {
      body(request, pin -> service.replace(u, id, pin));
    } else if (!id.isEmpty() && m == HttpMethod.DELETE) {
      workers
          .executeBlocking(
              () -> {
                service.delete(u, id);
                return null;
              },
              false)
          .onSuccess(v -> request.response().setStatusCode(202).end())
          .onFailure(e -> fail(request, e));
    } else {
      request.response().putHeader("Allow", id.isEmpty() ? "GET, POST" : "GET, POST, DELETE");
      error(request, 405, "METHOD_NOT_ALLOWED", m + " is not allowed on " + path);
    }
  }

  private static Optional<String> user(ApiSection api, HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    if (!api.authorizations().isEmpty()) {
      Optional<ApiSection.Authorization> a = ApiAccess.authorize(api, header);
      if (a.isEmpty() || !ApiAccess.allowed(a.get().allowedPaths(), PREFIX)) {
        return Optional.empty();
      }
      return ApiAccess.user(api, header);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return Optional.of("token-" + HexFormat.of().formatHex(digest, 0, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void list(HttpServerRequest request, String user) {
    PinQuery query;
    try {
      query = query(request.params());
    } catch (IllegalArgumentException e) {
      error(request, 400, "BAD_REQUEST", e.getMessage());
      return;
    }
    answer(
        request,
        200,
        () -> {
          Map.Entry<Integer, List<PinRequest>> found = service.list(user, query);
          JsonArray results = new JsonArray();
          List<String> d = service.delegates();
          found.getValue().forEach(r -> results.add(r.toStatus(d)));
          return new JsonObject().put("count", found.getKey()).put("results", results);
        });
  }

  static PinQuery query(MultiMap params) {
    Set<Cid> cids = new LinkedHashSet<>();
    for (String v : params.getAll("cid")) {
      for (String c : v.split(",")) {
        if (!c.isBlank()) {
          cids.add(Pin.parseCid(c.trim()));
        }
      }
    }
    Set<PinRequest.Status> statuses = new java.util.HashSet<>();
    for (String v : params.getAll("status")) {
      for (String s : v.split(",")) {
        statuses.add(
            PinRequest.Status.parse(s.trim())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "status must be queued, pinning, pinned or failed, got " + s)));
      }
    }
    if (statuses.isEmpty()) {
      statuses.add(PinRequest.Status.PINNED); // the spec's default
    }
    Map<String, String> meta = Map.of();
    String metaText = params.get("meta");
    if (metaText != null) {
      meta = Pin.strings(Pin.object(metaText, "meta"), "meta");
    }
    int limit;
    try {
      limit = Integer.parseInt(params.get("limit") == null ? "10" : params.get("limit"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be an integer, got " + params.get("limit"));
    }
    Optional<String> name = Optional.ofNullable(params.get("name"));
    if (name.isPresent() && name.get().length() > Pin.MAX_NAME) {
      throw new IllegalArgumentException("name is longer than " + Pin.MAX_NAME + " characters");
    }
    return new PinQuery(
        cids,
        name,
        params.get("match") == null ? "exact" : params.get("match"),
        statuses,
        time(params.get("before"), "before"),
        time(params.get("after"), "after"),
        limit,
        meta);
  }

  private static Optional<Instant> time(String text, String what) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          what + " must be an RFC 3339 date-time like 2020-07-27T17:32:28Z, got " + text);
    }
  }

  @FunctionalInterface
  private interface PinAction {
    PinRequest apply(Pin pin);
  }

  /** Reads a bounded JSON body, then runs {@code action} and answers 202 with the new status. */
  private void body(HttpServerRequest request, PinAction action) {
    Buffer body = Buffer.buffer();
    boolean[] tooBig = {false};
    request.handler(
        chunk -> {
          if (tooBig[0]) {
            return;
          }
          if (body.length() + chunk.length() > MAX_BODY) {
            tooBig[0] = true;
            request.response().putHeader("Connection", "close");
            error(request, 413, "PAYLOAD_TOO_LARGE", "the body is over " + MAX_BODY + " bytes");
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (tooBig[0]) {
            return;
          }
          Pin pin;
          try {
            pin = Pin.parse(body.toString(StandardCharsets.UTF_8));
          } catch (RuntimeException e) {
            error(request, 400, "BAD_REQUEST", e.getMessage());
            return;
          }
          answer(request, 202, () -> action.apply(pin).toStatus(service.delegates()));
        });
  }

  private void answer(HttpServerRequest request, int status, Callable<JsonObject> work) {
    workers
        .executeBlocking(work, false)
        .onSuccess(
            json ->
                request
                    .response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(json.encode()))
        .onFailure(e -> fail(request, e));
  }

  private static void fail(HttpServerRequest request, Throwable e) {
    if (e instanceof PinningService.NotFoundException) {
      error(request, 404, "NOT_FOUND", "The specified resource was not found: " + e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      error(request, 400, "BAD_REQUEST", e.getMessage());
    } else {
      LoggerFactory.getLogger(PinningApi.class).warn("pinning service request failed", e);
      error(
          request, 500, "INTERNAL_SERVER_ERROR", "the pinning service failed; see the daemon log");
    }
  }

  private static void error(HttpServerRequest request, int status, String reason, String details) {
    if (request.response().ended()) {
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("reason", reason).put("details", details))
                .encode());
  }
}
