package dev.tally.storage.repo;

import dev.tally.log.sync.SyncOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config's {@code Log} section: the limits and timers of log replication, applied when the
 * daemon starts. Sizes and counts are integers, times are durations as Kubo writes them ({@code
 * 50ms}, {@code 10s}, {@code 5m}, {@code 1h}).
 *
 * <pre>{@code
 * "Log": {
 *   "Sync": {
 *     "MaxMessageBytes": 4194304,   // largest /tally/log message sent or accepted
 *     "MaxBatchBytes": 1048576,     // entry bytes per batch of a delta
 *     "MaxBatchEntries": 4096,      // entries per batch
 *     "MaxCids": 1024,              // CIDs per list of heads, haves or wants
 *     "MaxDeltaEntries": 1000000,   // entries one request asks for (more: further requests)
 *     "JoinEntries": 4096,          // entries verified and stored at a time
 *     "MaxLogsPerAnnounce": 4096,   // logs one announcement may name
 *     "MaxServing": 8,              // deltas served at once, all peers
 *     "MaxServingPerPeer": 2,       // deltas served at once to one peer
 *     "MaxRejectsPerPeer": 16,      // invalid entries from a peer before it is ignored
 *     "AnnounceDebounce": "50ms",   // wait after a change before announcing heads
 *     "AntiEntropy": "10s",         // interval of the periodic heads exchange
 *     "IdleTimeout": "30s",         // a request whose peer is silent this long fails
 *     "Penalty": "5m",              // how long a peer over MaxRejectsPerPeer is ignored
 *     "MaxCheckpointBytes": 67108864 // largest checkpoint bundle sent or accepted
 *   }
 * }
 * }</pre>
 *
 * @param sync the replication options ({@code Log.Sync.*})
 */
public record LogSection(SyncOptions sync) {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  /** One key of {@code Log.Sync}: how to read it from the options and set it on a builder. */
  private record Key<T>(
      Function<SyncOptions, T> get, BiConsumer<SyncOptions.Builder, T> set, boolean duration) {}

  /** The keys of {@code Log.Sync}, in the order the config file lists them. */
  private static final Map<String, Key<?>> SYNC_KEYS = syncKeys();

  private static Map<String, Key<?>> syncKeys() {
    Map<String, Key<?>> k = new LinkedHashMap<>();
    k.put(
        "MaxMessageBytes",
        count(SyncOptions::maxMessageBytes, SyncOptions.Builder::maxMessageBytes));
    k.put("MaxBatchBytes", count(SyncOptions::maxBatchBytes, SyncOptions.Builder::maxBatchBytes));
    k.put(
        "MaxBatchEntries",
        count(SyncOptions::maxBatchEntries, SyncOptions.Builder::maxBatchEntries));
    k.put("MaxCids", count(SyncOptions::maxCids, SyncOptions.Builder::maxCids));
    k.put(
        "MaxDeltaEntries",
        count(SyncOptions::maxDeltaEntries, SyncOptions.Builder::maxDeltaEntries));
    k.put("JoinEntries", count(SyncOptions::joinEntries, SyncOptions.Builder::joinEntries));
    k.put(
        "MaxLogsPerAnnounce",
        count(SyncOptions::maxLogsPerAnnounce, SyncOptions.Builder::maxLogsPerAnnounce));
    k.put("MaxServing", count(SyncOptions::maxServing, SyncOptions.Builder::maxServing));
    k.put(
        "MaxServingPerPeer",
        count(SyncOptions::maxServingPerPeer, SyncOptions.Builder::maxServingPerPeer));
    k.put(
        "MaxRejectsPerPeer",
        count(SyncOptions::maxRejectsPerPeer, SyncOptions.Builder::maxRejectsPerPeer));
    k.put(
        "AnnounceDebounce",
        time(SyncOptions::announceDebounce, SyncOptions.Builder::announceDebounce));
    k.put("AntiEntropy", time(SyncOptions::antiEntropy, SyncOptions.Builder::antiEntropy));
    k.put("IdleTimeout", time(SyncOptions::idleTimeout, SyncOptions.Builder::idleTimeout));
    k.put("Penalty", time(SyncOptions::penalty, SyncOptions.Builder::penalty));
    k.put(
        "MaxCheckpointBytes",
        count(SyncOptions::maxCheckpointBytes, SyncOptions.Builder::maxCheckpointBytes));
    return Collections.unmodifiableMap(k);
  }

  private static Key<Integer> count(
      Function<SyncOptions, Integer> get, BiConsumer<SyncOptions.Builder, Integer> set) {
    return new Key<>(get, set, false);
  }

  private static Key<Duration> time(
      Function<SyncOptions, Duration> get, BiConsumer<SyncOptions.Builder, Duration> set) {
    return new Key<>(get, set, true);
  }

  public LogSection {
    Objects.requireNonNull(sync, "sync");
  }

  public static LogSection defaults() {
    return new LogSection(SyncOptions.defaults());
  }

  static LogSection parse(JsonObject section) {
    rejectUnknown(section, Set.of("Sync"), "Log.");
    Object s = section.getValue("Sync");
    if (s == null) {
      return defaults();
    }
    if (!(s instanceof JsonObject sync)) {
      throw new RepoException("config: 'Log.Sync' must be an object");
    }
    rejectUnknown(sync, SYNC_KEYS.keySet(), "Log.Sync.");
    SyncOptions.Builder b = SyncOptions.defaults().toBuilder();
    for (String name : sync.fieldNames()) {
      set(b, name, SYNC_KEYS.get(name), sync.getValue(name));
    }
    try {
      return new LogSection(b.build());
    } catch (IllegalArgumentException e) {
      throw new RepoException("config: Log.Sync." + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void set(SyncOptions.Builder b, String name, Key<T> key, Object value) {
    String where = "Log.Sync." + name;
    if (key.duration()) {
      ((Key<Duration>) key).set().accept(b, duration(where, value));
    } else {
      ((Key<Integer>) key).set().accept(b, integer(where, value));
    }
  }

  static int integer(String where, Object value) {
    long n;
    if (value instanceof Number num && num.doubleValue() == num.longValue()) {
      n = num.longValue();
    } else if (value instanceof String text && text.strip().matches("-?\\d{1,10}")) {
      // 'tally config KEY 512' without --json stores a string; take it as the number it spells.
      n = Long.parseLong(text.strip());
    } else {
      throw new RepoException("config: '" + where + "' must be an integer, got " + quote(value));
    }
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new RepoException("config: '" + where + "' is out of range: " + n);
    }
    return (int) n;
  }

  static Duration duration(String where, Object value) {
    Matcher m = value instanceof String text ? DURATION.matcher(text.strip()) : null;
    if (m == null || !m.matches()) {
      throw new RepoException(
          "config: '"
              + where
              + "' must be a duration like \"500ms\", \"30s\", \"5m\" or \"1h\", got "
              + quote(value));
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  /** A duration in the largest unit that writes it exactly ({@code 90s}, {@code 5m}). */
  static String text(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  JsonObject toJson() {
    JsonObject sync = new JsonObject();
    for (String name : SYNC_KEYS.keySet()) {
      Object v = SYNC_KEYS.get(name).get().apply(this.sync);
      sync.put(name, v instanceof Duration d ? text(d) : v);
    }
    return new JsonObject().put("Sync", sync);
  }

  static void rejectUnknown(JsonObject object, Set<String> known, String prefix) {
    for (String key : object.fieldNames()) {
      if (!known.contains(key)) {
        throw new RepoException(
            "config: unknown key '"
                + prefix
                + key
                + "' (known: "
                + String.join(", ", sorted(known))
                + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
