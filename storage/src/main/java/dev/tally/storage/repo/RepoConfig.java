package dev.tally.storage.repo;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The contents of {@code config.json}. Every key has a default; unknown keys are refused with the
 * key named, so a typo never silently falls back to a default.
 *
 * @param version repo format version (migrations key off it)
 * @param importProfile the UnixFS CID profile {@code add} uses unless told otherwise: {@code
 *     unixfs-v0-2015} (Kubo's default CIDs) or {@code unixfs-v1-2025} (Helia's)
 */
public record RepoConfig(int version, String importProfile) {
  public static final int CURRENT_VERSION = 1;
  public static final String DEFAULT_PROFILE = "unixfs-v0-2015";
  private static final Set<String> PROFILES = Set.of("unixfs-v0-2015", "unixfs-v1-2025");
  private static final Set<String> TOP_KEYS = Set.of("version", "import");
  private static final Set<String> IMPORT_KEYS = Set.of("profile");

  public RepoConfig {
    if (!PROFILES.contains(importProfile)) {
      throw new RepoException(
          "config: import.profile must be one of " + PROFILES + ", got '" + importProfile + "'");
    }
  }

  public static RepoConfig defaults() {
    return new RepoConfig(CURRENT_VERSION, DEFAULT_PROFILE);
  }

  public static RepoConfig parse(String json) {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException e) {
      throw new RepoException("config.json is not valid JSON: " + e.getMessage(), e);
    }
    rejectUnknown(root, TOP_KEYS, "");
    JsonObject imp = object(root, "import");
    rejectUnknown(imp, IMPORT_KEYS, "import.");
    int version = root.getInteger("version", CURRENT_VERSION);
    if (version != CURRENT_VERSION) {
      throw new RepoException(
          "config.json has repo version "
              + version
              + "; this Tally reads version "
              + CURRENT_VERSION);
    }
    return new RepoConfig(version, imp.getString("profile", DEFAULT_PROFILE));
  }

  public String toJson() {
    return new JsonObject()
        .put("version", version)
        .put("import", new JsonObject().put("profile", importProfile))
        .encodePrettily();
  }

  private static JsonObject object(JsonObject parent, String key) {
    Object value = parent.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new RepoException("config: '" + key + "' must be an object");
    }
    return object;
  }

  private static void rejectUnknown(JsonObject object, Set<String> known, String prefix) {
    for (String key : object.fieldNames()) {
      if (!known.contains(key)) {
        throw new RepoException("config: unknown key '" + prefix + key + "'");
      }
    }
  }
}
