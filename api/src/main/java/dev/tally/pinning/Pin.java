package dev.tally.pinning;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec's {@code Pin} object from a request body, validated: the CID to pin recursively, an
 * optional name, the origins (multiaddrs the client says hold the data) and string metadata. Bad
 * input throws {@link IllegalArgumentException} naming the field, which the API answers with 400.
 *
 * @param cid the CID as the client wrote it (it is answered back as written)
 */
public record Pin(String cid, String name, List<String> origins, Map<String, String> meta) {
  static final int MAX_NAME = 255;
  static final int MAX_ORIGINS = 20;
  static final int MAX_META = 100;
  static final int MAX_META_TEXT = 1024;

  /** Metadata keys a request may use to ask the cluster for other replication factors. */
  public static final String REPLICATION_MIN = "replication-min";

  public static final String REPLICATION_MAX = "replication-max";

  public Pin {
    origins = List.copyOf(origins);
    meta = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }

  static Pin parse(String body) {
    JsonObject o = object(body, "the body");
    if (!(o.getValue("cid") instanceof String cid) || cid.isEmpty()) {
      throw new IllegalArgumentException("pin.cid is required (a CID string)");
    }
    parseCid(cid);
    Object n = o.getValue("name", "");
    if (!(n instanceof String name) || name.length() > MAX_NAME) {
      throw new IllegalArgumentException(
          "pin.name must be a string of at most " + MAX_NAME + " characters");
    }
    Object originsValue = o.getValue("origins", new JsonArray());
    if (!(originsValue instanceof JsonArray array) || array.size() > MAX_ORIGINS) {
      throw new IllegalArgumentException(
          "pin.origins must be a list of at most " + MAX_ORIGINS + " multiaddr strings");
    }
    List<String> origins = new ArrayList<>();
    for (Object x : array) {
      if (!(x instanceof String s)) {
        throw new IllegalArgumentException("pin.origins must be multiaddr strings");
      }
      try {
        Multiaddr.parse(s);
      } catch (MultiaddrException e) {
        throw new IllegalArgumentException(
            "pin.origins has an invalid multiaddr \"" + s + "\": " + e.getMessage(), e);
      }
      if (!origins.contains(s)) {
        origins.add(s);
      }
    }
    Object metaValue = o.getValue("meta", new JsonObject());
    if (!(metaValue instanceof JsonObject meta)) {
      throw new IllegalArgumentException("pin.meta must be an object of strings");
    }
    return new Pin(cid, name, origins, strings(meta, "pin.meta"));
  }

  static Cid parseCid(String cid) {
    try {
      return Cid.parse(cid);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid cid \"" + cid + "\": " + e.getMessage(), e);
    }
  }

  /**
   * The replication factors this pin asks for: its {@code replication-min}/{@code -max} metadata,
   * else the defaults; a max below the min asked for is raised to it.
   */
  Replication replication(int defaultMin, int defaultMax) {
    Optional<Integer> min = factor(REPLICATION_MIN);
    Optional<Integer> max = factor(REPLICATION_MAX);
    int lo = min.orElse(Math.min(defaultMin, max.orElse(defaultMin)));
    int hi = max.orElse(Math.max(lo, defaultMax));
    if (hi < lo) {
      throw new IllegalArgumentException(
          "pin.meta."
              + REPLICATION_MAX
              + " ("
              + hi
              + ") is below "
              + REPLICATION_MIN
              + " ("
              + lo
              + ")");
    }
    return new Replication(lo, hi);
  }

  private Optional<Integer> factor(String key) {
    String text = meta.get(key);
    if (text == null) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1 && n <= dev.tally.storage.repo.PinningSection.MAX_REPLICATION) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        "pin.meta."
            + key
            + " must be a whole number of replicas 1.."
            + dev.tally.storage.repo.PinningSection.MAX_REPLICATION
            + ", got \""
            + text
            + "\"");
  }

  /** Replicas a cluster-backed pin needs ({@code min}) and may have ({@code max}). */
  record Replication(int min, int max) {}

  static JsonObject object(String text, String what) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
  }

  static Map<String, String> strings(JsonObject o, String what) {
    if (o.size() > MAX_META) {
      throw new IllegalArgumentException(what + " has more than " + MAX_META + " keys");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : o) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException(what + "." + e.getKey() + " must be a string");
      }
      if (e.getKey().length() > MAX_META_TEXT || s.length() > MAX_META_TEXT) {
        throw new IllegalArgumentException(
            what + " keys and values must be at most " + MAX_META_TEXT + " characters");
      }
      out.put(e.getKey(), s);
    }
    return out;
  }
}
