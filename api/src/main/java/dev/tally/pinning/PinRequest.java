package dev.tally.pinning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pin request as the spec's {@code PinStatus} describes it, plus the user it belongs to and
 * whether it created the node's local pin (so deleting it unpins only what it pinned).
 *
 * @param requestId unique, opaque id
 * @param user the account the bearer token names; other users never see this request
 * @param cid the CID to pin recursively, as the client wrote it
 * @param name optional name (empty when none)
 * @param origins multiaddrs the client says hold the data
 * @param meta the client's string key/values
 * @param status queued, pinning, pinned or failed
 * @param created when the request was queued (unique within this service: it pages lists)
 * @param failure why a failed request failed
 * @param ownsLocalPin this request added the recursive pin the node holds for {@code cid}
 */
public record PinRequest(
    String requestId,
    String user,
    String cid,
    String name,
    List<String> origins,
    Map<String, String> meta,
    Status status,
    Instant created,
    Optional<String> failure,
    boolean ownsLocalPin) {
  public PinRequest {
    origins = List.copyOf(origins);
    meta = Map.copyOf(meta);
  }

  /** The spec's statuses, written in lower case. */
  public enum Status {
    QUEUED,
    PINNING,
    PINNED,
    FAILED;

    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Optional<Status> parse(String text) {
      for (Status s : values()) {
        if (s.text().equals(text)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  PinRequest with(Status next, Optional<String> why, boolean owns) {
    return new PinRequest(requestId, user, cid, name, origins, meta, next, created, why, owns);
  }

  /** The spec's {@code PinStatus} object. */
  JsonObject toStatus(List<String> delegates) {
    JsonObject pin = new JsonObject().put("cid", cid);
    if (!name.isEmpty()) {
      pin.put("name", name);
    }
    pin.put("origins", new JsonArray(origins));
    pin.put("meta", new JsonObject(Map.copyOf(meta)));
    JsonObject info = new JsonObject();
    failure.ifPresent(f -> info.put("status_details", f));
    return new JsonObject()
        .put("requestid", requestId)
        .put("status", status.text())
        .put("created", created.toString())
        .put("pin", pin)
        .put("delegates", new JsonArray(delegates))
        .put("info", info);
  }

  /** The form kept on disk. */
  JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("requestid", requestId)
            .put("user", user)
            .put("cid", cid)
            .put("name", name)
            .put("origins", new JsonArray(origins))
            .put("meta", new JsonObject(Map.copyOf(meta)))
            .put("status", status.text())
            .put("created", created.toString())
            .put("ownsLocalPin", ownsLocalPin);
    failure.ifPresent(f -> o.put("failure", f));
    return o;
  }

  static PinRequest fromJson(JsonObject o) {
    Map<String, String> meta = new java.util.LinkedHashMap<>();
    o.getJsonObject("meta", new JsonObject()).forEach(e -> meta.put(e.getKey(), "" + e.getValue()));
    List<String> origins = new java.util.ArrayList<>();
    o.getJsonArray("origins", new JsonArray()).forEach(x -> origins.add("" + x));
    return new PinRequest(
        o.getString("requestid"),
        o.getString("user"),
        o.getString("cid"),
        o.getString("name", ""),
        origins,
        meta,
        Status.parse(o.getString("status")).orElse(Status.FAILED),
        Instant.parse(o.getString("created")),
        Optional.ofNullable(o.getString("failure")),
        o.getBoolean("ownsLocalPin", false));
  }
}
