package dev.tally.storage.repo;

import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
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
 * @param apiAddress where the daemon serves the RPC API ({@code Addresses.API}, as Kubo names it)
 * @param gatewayAddress where the daemon serves the gateway ({@code Addresses.Gateway})
 */
public record RepoConfig(
    int version, String importProfile, Multiaddr apiAddress, Multiaddr gatewayAddress) {
  public static final int CURRENT_VERSION = 1;
  public static final String DEFAULT_PROFILE = "unixfs-v0-2015";
  public static final String DEFAULT_API = "/ip4/127.0.0.1/tcp/5001";
  public static final String DEFAULT_GATEWAY = "/ip4/127.0.0.1/tcp/8080";
  private static final Set<String> PROFILES = Set.of("unixfs-v0-2015", "unixfs-v1-2025");
  private static final Set<String> TOP_KEYS = Set.of("version", "import", "Addresses");
  private static final Set<String> IMPORT_KEYS = Set.of("profile");
  private static final Set<String> ADDRESS_KEYS = Set.of("API", "Gateway");

  public RepoConfig {
    if (!PROFILES.contains(importProfile)) {
      throw new RepoException(
          "config: import.profile must be one of " + PROFILES + ", got '" + importProfile + "'");
    }
    if (apiAddress == null || gatewayAddress == null) {
      throw new RepoException("config: Addresses.API and Addresses.Gateway are required");
    }
  }

  /** A config with the given profile and the default addresses. */
  public RepoConfig(int version, String importProfile) {
    this(version, importProfile, Multiaddr.parse(DEFAULT_API), Multiaddr.parse(DEFAULT_GATEWAY));
  }

  public static RepoConfig defaults() {
    return new RepoConfig(CURRENT_VERSION, DEFAULT_PROFILE);
  }

  /** This config with other API and gateway addresses. */
  public RepoConfig withAddresses(Multiaddr api, Multiaddr gateway) {
    return new RepoConfig(version, importProfile, api, gateway);
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
    JsonObject addresses = object(root, "Addresses");
    rejectUnknown(addresses, ADDRESS_KEYS, "Addresses.");
    return new RepoConfig(
        version,
        imp.getString("profile", DEFAULT_PROFILE),
        address(addresses, "API", DEFAULT_API),
        address(addresses, "Gateway", DEFAULT_GATEWAY));
  }

  public String toJson() {
    return new JsonObject()
        .put("version", version)
        .put("import", new JsonObject().put("profile", importProfile))
        .put(
            "Addresses",
            new JsonObject()
                .put("API", apiAddress.toString())
                .put("Gateway", gatewayAddress.toString()))
        .encodePrettily();
  }

  private static Multiaddr address(JsonObject addresses, String key, String fallback) {
    Object value = addresses.getValue(key, fallback);
    if (!(value instanceof String text)) {
      throw new RepoException("config: 'Addresses." + key + "' must be a multiaddr string");
    }
    try {
      return Multiaddr.parse(text);
    } catch (MultiaddrException e) {
      throw new RepoException(
          "config: 'Addresses." + key + "' is not a valid multiaddr: " + e.getMessage(), e);
    }
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
