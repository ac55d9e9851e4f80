package dev.tally.plugin.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One plugin's settings: the object under the plugin's name in {@code <repo>/plugins/config.json},
 * as text values (numbers and booleans as written there, arrays as comma-separated items).
 */
public final class PluginConfig {
  private final Map<String, String> values;

  public PluginConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static PluginConfig empty() {
    return new PluginConfig(Map.of());
  }

  public Set<String> keys() {
    return new TreeMap<>(values).keySet();
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /**
   * An integer setting.
   *
   * @throws IllegalArgumentException naming the key when the value is not an integer
   */
  public long getLong(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "plugin setting \"" + key + "\" must be an integer, got \"" + v + "\"", e);
    }
  }

  @Override
  public String toString() {
    return new TreeMap<>(values).toString();
  }
}
