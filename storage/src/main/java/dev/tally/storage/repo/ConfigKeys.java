package dev.tally.storage.repo;

import io.vertx.core.json.JsonObject;

/**
 * Reads and writes one config value by its dotted Kubo-style key ({@code Addresses.API}, {@code
 * API.HTTPHeaders}, {@code Datastore.StorageMax}), as {@code ipfs config KEY [VALUE]} does. A set
 * is validated by parsing the whole resulting config, so an unknown key or a malformed value is
 * refused with the key named and nothing is written.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** The value at {@code key}: a String, Number, Boolean, JsonObject or JsonArray. */
  public static Object get(RepoConfig config, String key) {
    Object current = new JsonObject(config.toJson());
    for (String part : split(key)) {
      if (!(current instanceof JsonObject object) || !object.containsKey(part)) {
        throw new RepoException("config: key '" + key + "' has no value");
      }
      current = object.getValue(part);
    }
    return current;
  }

  /** {@code config} with {@code value} at {@code key} (intermediate objects are created). */
  public static RepoConfig set(RepoConfig config, String key, Object value) {
    JsonObject root = new JsonObject(config.toJson());
    String[] parts = split(key);
    JsonObject parent = root;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = parent.getValue(parts[i]);
      if (next == null) {
        next = new JsonObject();
        parent.put(parts[i], next);
      }
      if (!(next instanceof JsonObject object)) {
        throw new RepoException(
            "config: cannot set '" + key + "': '" + parts[i] + "' is not an object");
      }
      parent = object;
    }
    parent.put(parts[parts.length - 1], value);
    return RepoConfig.parse(root.encode());
  }

  /**
   * A VALUE as {@code ipfs config KEY VALUE} reads it: the string itself, or JSON with {@code
   * json}, or {@code true}/{@code false} with {@code bool}.
   */
  public static Object parseValue(String text, boolean json, boolean bool) {
    if (bool) {
      return switch (text.toLowerCase(java.util.Locale.ROOT)) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw new RepoException("--bool: expected true or false, got '" + text + "'");
      };
    }
    if (!json) {
      return text;
    }
    try {
      return io.vertx.core.json.Json.decodeValue(text);
    } catch (io.vertx.core.json.DecodeException e) {
      throw new RepoException("--json: the value is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String[] split(String key) {
    if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
      throw new RepoException("config: invalid key '" + key + "' (expected e.g. Addresses.API)");
    }
    return key.split("\\.");
  }
}
