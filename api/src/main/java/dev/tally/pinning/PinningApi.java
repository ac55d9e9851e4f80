package dev.tally.pinning;

import dev.tally.http.ApiAccess;
import dev.tally.storage.repo.ApiSection;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /pins} and {@code /pins/{requestid}} as the IPFS Pinning Service API v1.0.0 defines them.
 * Every request needs {@code Authorization: Bearer TOKEN}: with {@code API.Authorizations}
 * configured the token must be one of its bearer secrets allowed {@code /pins}, and the user is
 * that entry's name; without, any token is accepted and names its own account (a hash of it), so
 * each token sees only its own requests. Errors are the spec's {@code {"error":{reason,details}}}.
 */
public final class PinningApi implements Handler<HttpServerRequest> {
  public static final String PREFIX = "/pins";
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_NAME = 255;
  static final int MAX_ORIGINS = 20;
  static final int MAX_META = 100;

  private final PinningService service;
  private final WorkerExecutor workers;
  private final Supplier<ApiSection> config;
  private final Supplier<List<String>> delegates;

  public PinningApi(
      PinningService service,
      WorkerExecutor workers,
      Supplier<ApiSection> config,
      Supplier<List<String>> delegates) {
    this.service = service;
    this.workers = workers;
    this.config = config;
    this.delegates = delegates;
  }

  /** Whether {@code path} is this API's. */
  public static boolean owns(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  @Override
  public void handle(HttpServerRequest request) {
    Optional<String> user = user(request);
    if (user.isEmpty()) {
      request.response().putHeader("WWW-Authenticate", "Bearer");
      error(
          request, 401, "UNAUTHORIZED", "a valid 'Authorization: Bearer TOKEN' header is required");
      return;
    }
    String path = request.path();
    String id = path.length() > PREFIX.length() + 1 ? path.substring(PREFIX.length() + 1) : "";
    HttpMethod m = request.method();
    if (id.isEmpty() && m == HttpMethod.GET) {
      list(request, user.get());
    } else if (id.isEmpty() && m == HttpMethod.POST) {
      body(request, pin -> service.add(user.get(), pin.cid, pin.name, pin.origins, pin.meta));
    } else if (!id.isEmpty() && !id.contains("/") && m == HttpMethod.GET) {
      answer(
          request,
          200,
          () ->
              service
                  .get(user.get(), id)
                  .orElseThrow(() -> new PinningService.NotFoundException(id))
                  .toStatus(delegates.get()));
    } else if (!id.isEmpty() && !id.contains("/") && m == HttpMethod.POST) {
      body(
          request,
          pin -> service.replace(user.get(), id, pin.cid, pin.name, pin.origins, pin.meta));
    } else if (!id.isEmpty() && !id.contains("/") && m == HttpMethod.DELETE) {
      workers
          .executeBlocking(
              () -> {
                service.delete(user.get(), id);
                return null;
              },
              false)
          .onSuccess(v -> request.response().setStatusCode(202).end())
          .onFailure(e -> fail(request, e));
    } else if (!id.contains("/")) {
      request.response().putHeader("Allow", id.isEmpty() ? "GET, POST" : "GET, POST, DELETE");
      error(request, 405, "METHOD_NOT_ALLOWED", m + " is not allowed on " + path);
    } else {
      error(request, 404, "NOT_FOUND", "no such resource: " + path);
    }
  }

  private Optional<String> user(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    ApiSection api = config.get();
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
          List<String> d = delegates.get();
          found.getValue().forEach(r -> results.add(r.toStatus(d)));
          return new JsonObject().put("count", found.getKey()).put("results", results);
        });
  }

  static PinQuery query(io.vertx.core.MultiMap params) {
    java.util.Set<String> cids = new java.util.LinkedHashSet<>();
    for (String v : params.getAll("cid")) {
      for (String c : v.split(",")) {
        if (!c.isBlank()) {
          PinningService.parse(c.trim());
          cids.add(c.trim());
        }
      }
    }
    java.util.Set<PinRequest.Status> statuses = new java.util.HashSet<>();
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
      meta = strings(json(metaText, "meta"), "meta");
    }
    int limit;
    try {
      limit = Integer.parseInt(params.get("limit") == null ? "10" : params.get("limit"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be an integer, got " + params.get("limit"));
    }
    Optional<String> name = Optional.ofNullable(params.get("name"));
    if (name.isPresent() && name.get().length() > MAX_NAME) {
      throw new IllegalArgumentException("name is longer than " + MAX_NAME + " characters");
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
      return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(what + " must be an ISO 8601 date-time, got " + text);
    }
  }

  private static JsonObject json(String text, String what) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
  }

  private static Map<String, String> strings(JsonObject o, String what) {
    if (o.size() > MAX_META) {
      throw new IllegalArgumentException(what + " has more than " + MAX_META + " keys");
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException(what + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), s);
    }
    return out;
  }

  /** A {@code Pin} object of a request body, validated. */
  private record Pin(String cid, String name, List<String> origins, Map<String, String> meta) {
    static Pin parse(JsonObject o) {
      if (!(o.getValue("cid") instanceof String cid) || cid.isEmpty()) {
        throw new IllegalArgumentException("pin.cid is required");
      }
      PinningService.parse(cid);
      Object n = o.getValue("name", "");
      if (!(n instanceof String name) || name.length() > MAX_NAME) {
        throw new IllegalArgumentException("pin.name must be a string of at most 255 characters");
      }
      Object originsValue = o.getValue("origins", new JsonArray());
      if (!(originsValue instanceof JsonArray array) || array.size() > MAX_ORIGINS) {
        throw new IllegalArgumentException("pin.origins must be at most 20 multiaddr strings");
      }
      List<String> origins = new java.util.ArrayList<>();
      for (Object x : array) {
        if (!(x instanceof String s)) {
          throw new IllegalArgumentException("pin.origins must be multiaddr strings");
        }
        dev.tally.multiformats.Multiaddr.parse(s);
        origins.add(s);
      }
      Object metaValue = o.getValue("meta", new JsonObject());
      if (!(metaValue instanceof JsonObject meta)) {
        throw new IllegalArgumentException("pin.meta must be an object of strings");
      }
      return new Pin(cid, name, origins, strings(meta, "pin.meta"));
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
            pin = Pin.parse(json(body.toString(StandardCharsets.UTF_8), "the body"));
          } catch (RuntimeException e) {
            error(request, 400, "BAD_REQUEST", e.getMessage());
            return;
          }
          answer(request, 202, () -> action.apply(pin).toStatus(delegates.get()));
        });
  }

  private void answer(
      HttpServerRequest request, int status, java.util.concurrent.Callable<JsonObject> work) {
    Future<JsonObject> f = workers.executeBlocking(work, false);
    f.onSuccess(
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
      error(request, 404, "NOT_FOUND", e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      error(request, 400, "BAD_REQUEST", e.getMessage());
    } else {
      org.slf4j.LoggerFactory.getLogger(PinningApi.class).warn("pinning service request failed", e);
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
