package dev.tally.storage.repo;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config's {@code HTTP} section: the bounds each of the daemon's HTTP servers (RPC API,
 * gateway) enforces so that many or slow clients cannot exhaust the node. Kubo has no section for
 * them; the key names follow Go's {@code http.Server} and Kubo's {@code
 * Gateway.MaxConcurrentRequests}.
 *
 * <pre>{@code
 * "HTTP": {
 *   "MaxConnections": 4096,          // open connections per server
 *   "MaxConcurrentRequests": 64,     // requests in progress per server; more get 503
 *   "ReadHeaderTimeout": "10s",      // to send a request head, from connect or the last answer
 *   "IdleTimeout": "60s",            // no traffic either way: the connection is closed
 *   "UploadReadAhead": 16777216,     // optional: upload bytes queued ahead of the importer
 *   "UploadBudget": 67108864         // optional: such bytes of all uploads of a server together
 * }
 * }</pre>
 *
 * @param maxConnections open connections per server; a connection beyond it closes the oldest one
 *     still waiting for a request head, or is itself closed when none is
 * @param maxConcurrentRequests requests in progress per server; beyond it 503 Service Unavailable
 * @param readHeaderTimeout how long a connection may take to send a complete request head after it
 *     opens or after its previous answer, however slowly it trickles bytes
 * @param idleTimeout a connection with no traffic in either direction for this long is closed
 * @param uploadReadAhead bytes of an upload ({@code add}, {@code dag/import}) received ahead of the
 *     importer before the client is held back; empty (the key absent) lets the daemon size it from
 *     its heap
 * @param uploadBudget bytes all uploads of one server may hold ahead of their importers together;
 *     each keeps a window of {@link #MIN_UPLOAD_WINDOW} and shares the rest; empty (the key absent)
 *     lets the daemon size it as four read-aheads
 */
public record HttpSection(
    int maxConnections,
    int maxConcurrentRequests,
    Duration readHeaderTimeout,
    Duration idleTimeout,
    OptionalInt uploadReadAhead,
    OptionalLong uploadBudget) {
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
  public static final Duration DEFAULT_READ_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** The smallest and largest {@code UploadReadAhead}: 64 KiB and 1 GiB. */
  public static final int MIN_UPLOAD_READ_AHEAD = 64 << 10;

  public static final int MAX_UPLOAD_READ_AHEAD = 1 << 30;

  /**
   * The window each upload keeps whatever the others hold, so none starves; an {@code UploadBudget}
   * must cover it for {@code MaxConcurrentRequests} uploads.
   */
  public static final int MIN_UPLOAD_WINDOW = 256 << 10;

  /** The largest {@code UploadBudget}: 1 TiB. */
  public static final long MAX_UPLOAD_BUDGET = 1L << 40;

  private static final Set<String> KEYS =
      Set.of(
          "MaxConnections",
          "MaxConcurrentRequests",
          "ReadHeaderTimeout",
          "IdleTimeout",
          "UploadReadAhead",
          "UploadBudget");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  public HttpSection {
    if (maxConnections < 1 || maxConcurrentRequests < 1) {
      throw new RepoException(
          "config: HTTP.MaxConnections and HTTP.MaxConcurrentRequests must be at least 1");
    }
    if (readHeaderTimeout.toMillis() < 1 || idleTimeout.toSeconds() < 1) {
      throw new RepoException(
          "config: HTTP.ReadHeaderTimeout must be positive and HTTP.IdleTimeout at least 1s");
    }
    Objects.requireNonNull(uploadReadAhead, "uploadReadAhead");
    if (uploadReadAhead.isPresent()
        && (uploadReadAhead.getAsInt() < MIN_UPLOAD_READ_AHEAD
            || uploadReadAhead.getAsInt() > MAX_UPLOAD_READ_AHEAD)) {
      throw new RepoException(
          "config: HTTP.UploadReadAhead must be between "
              + MIN_UPLOAD_READ_AHEAD
              + " and "
              + MAX_UPLOAD_READ_AHEAD
              + " bytes, got "
              + uploadReadAhead.getAsInt());
    }
    Objects.requireNonNull(uploadBudget, "uploadBudget");
    long floor = (long) maxConcurrentRequests * MIN_UPLOAD_WINDOW;
    if (uploadBudget.isPresent()
        && (uploadBudget.getAsLong() < floor || uploadBudget.getAsLong() > MAX_UPLOAD_BUDGET)) {
      throw new RepoException(
          "config: HTTP.UploadBudget must be between "
              + floor
              + " bytes (a "
              + MIN_UPLOAD_WINDOW
              + "-byte window for each of HTTP.MaxConcurrentRequests "
              + maxConcurrentRequests
              + " uploads) and "
              + MAX_UPLOAD_BUDGET
              + ", got "
              + uploadBudget.getAsLong());
    }
  }

  public static HttpSection defaults() {
    return new HttpSection(
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_CONCURRENT_REQUESTS,
        DEFAULT_READ_HEADER_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        OptionalInt.empty(),
        OptionalLong.empty());
  }

  static HttpSection parse(JsonObject section) {
    for (String key : section.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new RepoException("config: unknown key 'HTTP." + key + "'");
      }
    }
    return new HttpSection(
        count(section, "MaxConnections", DEFAULT_MAX_CONNECTIONS),
        count(section, "MaxConcurrentRequests", DEFAULT_MAX_CONCURRENT_REQUESTS),
        duration(section, "ReadHeaderTimeout", DEFAULT_READ_HEADER_TIMEOUT),
        duration(section, "IdleTimeout", DEFAULT_IDLE_TIMEOUT),
        section.containsKey("UploadReadAhead")
            ? OptionalInt.of(count(section, "UploadReadAhead", 0))
            : OptionalInt.empty(),
        section.containsKey("UploadBudget")
            ? OptionalLong.of(bytes(section, "UploadBudget"))
            : OptionalLong.empty());
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("MaxConnections", maxConnections)
            .put("MaxConcurrentRequests", maxConcurrentRequests)
            .put("ReadHeaderTimeout", text(readHeaderTimeout))
            .put("IdleTimeout", text(idleTimeout));
    // Absent unless set: the heap-sized default follows the heap the daemon runs with.
    uploadReadAhead.ifPresent(n -> json.put("UploadReadAhead", n));
    uploadBudget.ifPresent(n -> json.put("UploadBudget", n));
    return json;
  }

  private static int count(JsonObject section, String key, int fallback) {
    long n = section.containsKey(key) ? whole(section, key) : fallback;
    if (n != (int) n) {
      throw new RepoException("config: 'HTTP." + key + "' is too large, got " + n);
    }
    return (int) n;
  }

  private static long bytes(JsonObject section, String key) {
    return whole(section, key);
  }

  /**
   * A whole number; a string of digits counts as its number, as in the other limit sections: {@code
   * tally config HTTP.MaxConnections 512} without {@code --json} stores a string, as Kubo's {@code
   * ipfs config} does.
   */
  private static long whole(JsonObject section, String key) {
    Object value = section.getValue(key);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof String text && text.strip().matches("-?\\d{1,18}")) {
      return Long.parseLong(text.strip());
    }
    throw new RepoException(
        "config: 'HTTP."
            + key
            + "' must be a whole number, got "
            + (value instanceof String ? "the text \"" + value + "\"" : String.valueOf(value)));
  }

  /** Go's duration syntax, one unit: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
  private static Duration duration(JsonObject section, String key, Duration fallback) {
    Object value = section.getValue(key);
    if (value == null) {
      return fallback;
    }
    Matcher m =
        value instanceof String s ? DURATION.matcher(s.toLowerCase(Locale.ROOT).strip()) : null;
    if (m == null || !m.matches()) {
      throw new RepoException(
          "config: 'HTTP." + key + "' must be a duration like \"10s\" or \"500ms\", got " + value);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }
}
