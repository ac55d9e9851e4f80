package dev.tally.pinning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One pin request as the spec's {@code PinStatus} describes it, plus what the service keeps about
 * it: the user it belongs to, the replication factors fixed when it was made, and the CIDs of
 * requests it replaced, whose pins it holds until it is pinned itself (so blocks the two DAGs share
 * are never unpinned in between).
 *
 * @param requestId unique, opaque id
 * @param user the account the bearer token names; other users never see this request
 * @param pin what the client asked for
 * @param status queued, pinning, pinned or failed
 * @param created when the request was queued (unique within this service: it pages lists)
 * @param details more about the status ({@code info.status_details}); empty when there is none
 * @param min replicas a cluster-backed pin needs before it is pinned
 * @param max replicas a cluster-backed pin may have
 * @param holds CIDs of replaced requests whose pins stay until this one is pinned
 */
public record PinRequest(
    String requestId,
    String user,
    Pin pin,
    Status status,
    Instant created,
    String details,
    int min,
    int max,
    List<String> holds) {
  public PinRequest {
    holds = List.copyOf(holds);
  }

  /** The spec's statuses, written in lower case. */
  public enum Status {
    QUEUED,
    PINNING,
    PINNED,
    FAILED;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
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

  public String cid() {
    return pin.cid();
  }

  /** This request with a new status; reaching pinned releases the pins it held. */
  PinRequest with(Status next, String why) {
    return new PinRequest(
        requestId,
        user,
        pin,
        next,
        created,
        why,
        min,
        max,
        next == Status.PINNED ? List.of() : holds);
  }

  /** The spec's {@code PinStatus} object. */
  JsonObject toStatus(List<String> delegates) {
    JsonObject p = new JsonObject().put("cid", pin.cid());
    if (!pin.name().isEmpty()) {
      p.put("name", pin.name());
    }
    p.put("origins", new JsonArray(pin.origins()));
    p.put("meta", new JsonObject(new LinkedHashMap<>(pin.meta())));
    JsonObject info = new JsonObject();
    if (!details.isEmpty()) {
      info.put("status_details", details);
    }
    return new JsonObject()
        .put("requestid", requestId)
        .put("status", status.text())
        .put("created", created.toString())
        .put("pin", p)
        .put("delegates", new JsonArray(delegates))
        .put("info", info);
  }

  /** The form kept on disk. */
  JsonObject toJson() {
    return new JsonObject()
        .put("requestid", requestId)
        .put("user", user)
        .put("cid", pin.cid())
        .put("name", pin.name())
        .put("origins", new JsonArray(pin.origins()))
        .put("meta", new JsonObject(new LinkedHashMap<>(pin.meta())))
        .put("status", status.text())
        .put("created", created.toString())
        .put("details", details)
        .put("min", min)
        .put("max", max)
        .put("holds", new JsonArray(holds));
  }

  /**
   * Reads the form kept on disk; also the session-2 JSON file's entries (no factors, no holds: they
   * get {@code defaultMin}/{@code defaultMax}).
   */
  static PinRequest fromJson(JsonObject o, int defaultMin, int defaultMax) {
    Map<String, String> meta = new LinkedHashMap<>();
    o.getJsonObject("meta", new JsonObject()).forEach(e -> meta.put(e.getKey(), "" + e.getValue()));
    List<String> origins = new ArrayList<>();
    o.getJsonArray("origins", new JsonArray()).forEach(x -> origins.add("" + x));
    List<String> holds = new ArrayList<>();
    o.getJsonArray("holds", new JsonArray()).forEach(x -> holds.add("" + x));
    return new PinRequest(
        o.getString("requestid"),
        o.getString("user"),
        new Pin(o.getString("cid"), o.getString("name", ""), origins, meta),
        Status.parse(o.getString("status")).orElse(Status.QUEUED),
        Instant.parse(o.getString("created")),
        o.getString("details", o.getString("failure", "")),
        o.getInteger("min", defaultMin),
        o.getInteger("max", defaultMax),
        holds);
  }
}
