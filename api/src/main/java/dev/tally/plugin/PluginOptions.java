package dev.tally.plugin;

import dev.tally.plugin.spi.PluginConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host's limits and each plugin's settings, from {@code <repo>/plugins/config.json}:
 *
 * <pre>{@code
 * {
 *   "host": {
 *     "startTimeoutMs": 30000,     // start() must return within this
 *     "stopTimeoutMs": 10000,      // stop() likewise
 *     "deliveryTimeoutMs": 10000,  // each onEntry() likewise
 *     "requestTimeoutMs": 10000,   // each route handler likewise (the client gets 504)
 *     "maxRequestBody": 1048576,   // bytes of a request body a route may receive
 *     "httpThreads": 2,            // route handlers of one plugin running at once
 *     "httpQueue": 64,             // requests waiting for those threads; beyond, 503
 *     "classpath": true,           // load the plugins built into the node
 *     "disabled": ["positions"],   // plugins not to start
 *     "log": "bafy..."             // the lending log plugins follow (default: the node's only log)
 *   },
 *   "plugins": { "delinquency": { "buckets": "0,30,60,90" } }
 * }
 * }</pre>
 *
 * A plugin that overruns a time limit is stopped and reported, never waited for.
 *
 * @param pluginsDir where plugin jars are found ({@code <repo>/plugins})
 * @param dataDir where each plugin's private database lives; empty keeps them in memory
 */
public record PluginOptions(
    Path pluginsDir,
    Optional<Path> dataDir,
    Duration startTimeout,
    Duration stopTimeout,
    Duration deliveryTimeout,
    Duration requestTimeout,
    int maxRequestBody,
    int httpThreads,
    int httpQueue,
    boolean classpath,
    Set<String> disabled,
    Optional<String> log,
    Map<String, PluginConfig> configs) {
  public static final String CONFIG_FILE = "config.json";
  public static final String DATA_DIR = "data";

  private static final Set<String> TOP_KEYS = Set.of("host", "plugins");
  private static final Set<String> HOST_KEYS =
      Set.of(
          "startTimeoutMs",
          "stopTimeoutMs",
          "deliveryTimeoutMs",
          "requestTimeoutMs",
          "maxRequestBody",
          "httpThreads",
          "httpQueue",
          "classpath",
          "disabled",
          "log");

  public PluginOptions {
    positive(startTimeout, "startTimeoutMs");
    positive(stopTimeout, "stopTimeoutMs");
    positive(deliveryTimeout, "deliveryTimeoutMs");
    positive(requestTimeout, "requestTimeoutMs");
    if (maxRequestBody < 0 || httpThreads < 1 || httpQueue < 0) {
      throw new PluginException(
          "plugins config: maxRequestBody and httpQueue must be >= 0 and httpThreads >= 1");
    }
    disabled = Set.copyOf(disabled);
    configs = Map.copyOf(configs);
  }

  /** The defaults for jars in {@code pluginsDir}, databases in {@code <pluginsDir>/data}. */
  public static PluginOptions defaults(Path pluginsDir) {
    return new PluginOptions(
        pluginsDir,
        Optional.of(pluginsDir.resolve(DATA_DIR)),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        1 << 20,
        2,
        64,
        true,
        Set.of(),
        Optional.empty(),
        Map.of());
  }

  /** The settings of the repo whose plugin directory is {@code pluginsDir} (defaults if none). */
  public static PluginOptions load(Path pluginsDir) {
    Path file = pluginsDir.resolve(CONFIG_FILE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return defaults(pluginsDir);
    } catch (IOException e) {
      throw new PluginException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(pluginsDir, text);
  }

  static PluginOptions parse(Path pluginsDir, String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException e) {
      throw new PluginException("plugins/config.json is not valid JSON: " + e.getMessage(), e);
    }
    unknown(root, TOP_KEYS, "");
    JsonObject host = object(root, "host");
    unknown(host, HOST_KEYS, "host.");
    PluginOptions d = defaults(pluginsDir);
    Set<String> disabled = new LinkedHashSet<>();
    Object list = host.getValue("disabled", new JsonArray());
    if (!(list instanceof JsonArray array)) {
      throw new PluginException("plugins config: host.disabled must be an array of plugin names");
    }
    for (Object o : array) {
      disabled.add(String.valueOf(o));
    }
    Map<String, PluginConfig> configs = new HashMap<>();
    JsonObject plugins = object(root, "plugins");
    for (String name : plugins.fieldNames()) {
      if (!(plugins.getValue(name) instanceof JsonObject section)) {
        throw new PluginException("plugins config: plugins." + name + " must be an object");
      }
      Map<String, String> values = new HashMap<>();
      for (Map.Entry<String, Object> e : section) {
        values.put(e.getKey(), text(e.getValue()));
      }
      configs.put(name, new PluginConfig(values));
    }
    return new PluginOptions(
        pluginsDir,
        d.dataDir(),
        millis(host, "startTimeoutMs", d.startTimeout()),
        millis(host, "stopTimeoutMs", d.stopTimeout()),
        millis(host, "deliveryTimeoutMs", d.deliveryTimeout()),
        millis(host, "requestTimeoutMs", d.requestTimeout()),
        integer(host, "maxRequestBody", d.maxRequestBody()),
        integer(host, "httpThreads", d.httpThreads()),
        integer(host, "httpQueue", d.httpQueue()),
        bool(host, "classpath", d.classpath()),
        disabled,
        logId(host),
        configs);
  }

  /** These options with other time limits (tests use short ones). */
  public PluginOptions withTimeouts(
      Duration start, Duration stop, Duration delivery, Duration request) {
    return new PluginOptions(
        pluginsDir,
        dataDir,
        start,
        stop,
        delivery,
        request,
        maxRequestBody,
        httpThreads,
        httpQueue,
        classpath,
        disabled,
        log,
        configs);
  }

  /** These options with or without the plugins on the node's classpath. */
  public PluginOptions withClasspath(boolean load) {
    return new PluginOptions(
        pluginsDir,
        dataDir,
        startTimeout,
        stopTimeout,
        deliveryTimeout,
        requestTimeout,
        maxRequestBody,
        httpThreads,
        httpQueue,
        load,
        disabled,
        log,
        configs);
  }

  /** These options with databases in memory instead of under {@code dataDir}. */
  public PluginOptions inMemory() {
    return new PluginOptions(
        pluginsDir,
        Optional.empty(),
        startTimeout,
        stopTimeout,
        deliveryTimeout,
        requestTimeout,
        maxRequestBody,
        httpThreads,
        httpQueue,
        classpath,
        disabled,
        log,
        configs);
  }

  public PluginConfig config(String plugin) {
    return configs.getOrDefault(plugin, PluginConfig.empty());
  }

  private static String text(Object v) {
    if (v instanceof JsonArray a) {
      List<String> items = a.stream().map(String::valueOf).toList();
      return String.join(",", items);
    }
    return String.valueOf(v);
  }

  private static void positive(Duration d, String key) {
    if (d.isNegative() || d.isZero()) {
      throw new PluginException("plugins config: host." + key + " must be positive, got " + d);
    }
  }

  private static void unknown(JsonObject o, Set<String> known, String prefix) {
    for (String k : o.fieldNames()) {
      if (!known.contains(k)) {
        throw new PluginException(
            "plugins config: unknown key \"" + prefix + k + "\" (known: " + known + ")");
      }
    }
  }

  private static JsonObject object(JsonObject o, String key) {
    Object v = o.getValue(key, new JsonObject());
    if (!(v instanceof JsonObject j)) {
      throw new PluginException("plugins config: \"" + key + "\" must be an object");
    }
    return j;
  }

  private static Duration millis(JsonObject o, String key, Duration fallback) {
    return o.containsKey(key) ? Duration.ofMillis(number(o, key)) : fallback;
  }

  private static int integer(JsonObject o, String key, int fallback) {
    if (!o.containsKey(key)) {
      return fallback;
    }
    long v = number(o, key);
    if (v > Integer.MAX_VALUE) {
      throw new PluginException("plugins config: host." + key + " is too large: " + v);
    }
    return (int) v;
  }

  private static long number(JsonObject o, String key) {
    if (!(o.getValue(key) instanceof Number n) || n.doubleValue() != n.longValue()) {
      throw new PluginException(
          "plugins config: host." + key + " must be an integer, got " + o.getValue(key));
    }
    return n.longValue();
  }

  private static Optional<String> logId(JsonObject host) {
    Object v = host.getValue("log");
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new PluginException("plugins config: host.log must be a log id (a CID), got " + v);
    }
    return Optional.of(s);
  }

  private static boolean bool(JsonObject o, String key, boolean fallback) {
    Object v = o.getValue(key, fallback);
    if (!(v instanceof Boolean b)) {
      throw new PluginException("plugins config: host." + key + " must be true or false");
    }
    return b;
  }
}
