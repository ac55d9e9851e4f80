package dev.tally.storage.repo;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Reads the numeric and duration keys of the limit sections ({@code Swarm.*}, {@code
 * Internal.Bitswap.*}): each has a range, and a value outside it, or of the wrong type, is refused
 * with the key's full name, its range and its default, so a user knows what to write instead.
 */
final class Knobs {
  private Knobs() {}

  /**
   * The integer at {@code key} in {@code section}, or {@code fallback} when absent. A string of
   * digits counts as its number: {@code tally config KEY 512} without {@code --json} stores one.
   * The fallback is held to the range too: where the range follows from another key (a block must
   * fit a message), an unset key's default can be what no longer fits.
   */
  static long count(
      JsonObject section, String prefix, String key, long fallback, long min, long max) {
    return count(section, prefix, key, fallback, min, max, "");
  }

  /**
   * {@link #count} with a range whose top follows from another key: {@code maxIs} says which, so
   * the message names both keys.
   */
  static long count(
      JsonObject section,
      String prefix,
      String key,
      long fallback,
      long min,
      long max,
      String maxIs) {
    return count(section, prefix, key, fallback, min, "", max, maxIs);
  }

  /**
   * {@link #count} with a range whose bottom and top may each follow from another key: {@code
   * minIs} and {@code maxIs} say which (empty when the bound is the key's own).
   */
  static long count(
      JsonObject section,
      String prefix,
      String key,
      long fallback,
      long min,
      String minIs,
      long max,
      String maxIs) {
    String where = prefix + key;
    Object value = section.getValue(key);
    long n;
    if (!section.containsKey(key)) {
      n = fallback;
    } else if (value instanceof Number num && num.doubleValue() == num.longValue()) {
      n = num.longValue();
    } else if (value instanceof String text && text.strip().matches("-?\\d{1,18}")) {
      n = Long.parseLong(text.strip());
    } else {
      throw new RepoException(
          "config: '" + where + "' must be an integer, got " + quote(value) + range(min, max));
    }
    if (n < min || n > max) {
      throw new RepoException(
          "config: '"
              + where
              + "' must be between "
              + min
              + " and "
              + max
              + bounds(minIs, maxIs)
              + ", got "
              + n
              + " (the default is "
              + fallback
              + ")");
    }
    return n;
  }

  /** {@link #count} for a key whose range fits an {@code int}. */
  static int intCount(
      JsonObject section, String prefix, String key, int fallback, int min, int max) {
    return (int) count(section, prefix, key, fallback, min, max, "");
  }

  /** {@link #count} for an {@code int} key whose range's top is another key's value. */
  static int intCount(
      JsonObject section, String prefix, String key, int fallback, int min, int max, String maxIs) {
    return (int) count(section, prefix, key, fallback, min, max, maxIs);
  }

  /**
   * The flag at {@code key}, or {@code fallback} when absent; {@code "true"} and {@code "false"}
   * count too, as {@code tally config KEY false} without {@code --bool} stores a string.
   */
  static boolean flag(JsonObject section, String prefix, String key, boolean fallback) {
    Object value = section.getValue(key);
    if (!section.containsKey(key)) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String text && text.strip().matches("true|false")) {
      return Boolean.parseBoolean(text.strip());
    }
    throw new RepoException(
        "config: '"
            + prefix
            + key
            + "' must be true or false, got "
            + quote(value)
            + " (the default is "
            + fallback
            + ")");
  }

  /** The duration at {@code key} ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}). */
  static Duration duration(
      JsonObject section,
      String prefix,
      String key,
      Duration fallback,
      Duration min,
      Duration max) {
    String where = prefix + key;
    Duration d =
        section.containsKey(key) ? LogSection.duration(where, section.getValue(key)) : fallback;
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new RepoException(
          "config: '"
              + where
              + "' must be between "
              + LogSection.text(min)
              + " and "
              + LogSection.text(max)
              + ", got "
              + LogSection.text(d)
              + " (the default is "
              + LogSection.text(fallback)
              + ")");
    }
    return d;
  }

  /** The object at {@code key}, or an empty one when absent (every key then takes its default). */
  static JsonObject object(JsonObject parent, String prefix, String key) {
    Object value = parent.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new RepoException("config: '" + prefix + key + "' must be an object");
    }
    return object;
  }

  private static String bounds(String minIs, String maxIs) {
    if (minIs.isEmpty() && maxIs.isEmpty()) {
      return "";
    }
    if (minIs.isEmpty()) {
      return " (" + maxIs + ")";
    }
    return maxIs.isEmpty() ? " (" + minIs + ")" : " (" + minIs + "; " + maxIs + ")";
  }

  private static String range(long min, long max) {
    return " (" + min + " to " + max + ")";
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
