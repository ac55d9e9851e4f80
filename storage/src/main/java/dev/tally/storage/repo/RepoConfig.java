package dev.tally.storage.repo;

import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiaddrException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contents of {@code config.json}. Every key has a default; unknown keys are refused with the
 * key named, so a typo never silently falls back to a default.
 *
 * <pre>{@code
 * {
 *   "version": 1,
 *   "import": { "profile": "unixfs-v0-2015" },
 *   "Addresses": {
 *     "API": "/ip4/127.0.0.1/tcp/5001",
 *     "Gateway": "/ip4/127.0.0.1/tcp/8080",
 *     "Swarm": ["/ip4/0.0.0.0/tcp/4001"]   // where the libp2p host listens
 *   },
 *   "Bootstrap": [],                      // peers (multiaddrs with /p2p/ID) dialled at start
 *   "Datastore": {
 *     "StorageMax": "10GB",             // size the repo should stay under (Kubo's syntax)
 *     "StorageGCWatermark": 90          // % of StorageMax at which automatic GC runs
 *   },
 *   "API": {
 *     "HTTPHeaders": {},                // headers every RPC answer carries (CORS, as Kubo)
 *     "Authorizations": {}              // name -> {AuthSecret, AllowedPaths}, as Kubo
 *   },
 *   "Log": { "Sync": { "MaxBatchBytes": 1048576, ... } }, // log replication limits (LogSection)
 *   "HTTP": { "MaxConnections": 4096, ... }, // bounds of the HTTP servers (HttpSection)
 *   "PinningService": { "Backend": "auto", "ReplicationMin": 2, "ReplicationMax": 3 },
 *   "Cluster": { "Audit": { "Interval": "1m", ... }, "CheckpointEvery": 10000 }, // (ClusterSection)
 *   "Swarm": { "ConnMgr": {...}, "ResourceMgr": { "Limits": {...} }, "Yamux": {...} }, // SwarmSection
 *   "Internal": { "Bitswap": { "EngineBlockstoreWorkerCount": 8, ... }, "Dag": {...} } // InternalSection
 * }
 * }</pre>
 *
 * @param version repo format version (migrations key off it)
 * @param importProfile the UnixFS CID profile {@code add} uses unless told otherwise: {@code
 *     unixfs-v0-2015} (Kubo's default CIDs) or {@code unixfs-v1-2025} (Helia's)
 * @param apiAddress where the daemon serves the RPC API ({@code Addresses.API}, as Kubo names it)
 * @param gatewayAddress where the daemon serves the gateway ({@code Addresses.Gateway})
 * @param datastore storage limits ({@code Datastore.*})
 * @param swarmAddresses where the libp2p host listens ({@code Addresses.Swarm})
 * @param bootstrap peers the daemon dials at start ({@code Bootstrap})
 * @param api the RPC API's headers and credentials ({@code API.*})
 * @param log log replication limits and timers ({@code Log.Sync.*}, see {@link LogSection})
 * @param http bounds of the API and gateway HTTP servers ({@code HTTP.*}, see {@link HttpSection})
 * @param pinning how the Pinning Service API carries out pins ({@code PinningService.*})
 * @param cluster this node's part in cluster storage audits and checkpoints ({@code
 *     Cluster.Audit.*}, {@code Cluster.CheckpointEvery}, see {@link ClusterSection})
 * @param swarm the libp2p host's connection manager, resource, Yamux, peer-store, identify and
 *     negotiation limits ({@code Swarm.*}, see {@link SwarmSection})
 * @param internal the Bitswap server's, client's and wire limits and the {@code /tally/dag}
 *     protocol's ({@code Internal.Bitswap.*}, {@code Internal.Dag.*}, see {@link InternalSection})
 */
public record RepoConfig(
    int version,
    String importProfile,
    Multiaddr apiAddress,
    Multiaddr gatewayAddress,
    Datastore datastore,
    List<Multiaddr> swarmAddresses,
    List<Multiaddr> bootstrap,
    ApiSection api,
    LogSection log,
    HttpSection http,
    PinningSection pinning,
    ClusterSection cluster,
    SwarmSection swarm,
    InternalSection internal) {
  public static final int CURRENT_VERSION = 1;
  public static final String DEFAULT_PROFILE = "unixfs-v0-2015";
  public static final String DEFAULT_API = "/ip4/127.0.0.1/tcp/5001";
  public static final String DEFAULT_GATEWAY = "/ip4/127.0.0.1/tcp/8080";
  public static final String DEFAULT_SWARM = "/ip4/0.0.0.0/tcp/4001";
  private static final Set<String> PROFILES = Set.of("unixfs-v0-2015", "unixfs-v1-2025");
  private static final Set<String> TOP_KEYS =
      Set.of(
          "version",
          "import",
          "Addresses",
          "Datastore",
          "Bootstrap",
          "API",
          "Log",
          "HTTP",
          "PinningService",
          "Cluster",
          "Swarm",
          "Internal");
  private static final Set<String> IMPORT_KEYS = Set.of("profile");
  private static final Set<String> ADDRESS_KEYS = Set.of("API", "Gateway", "Swarm");
  private static final Set<String> DATASTORE_KEYS = Set.of("StorageMax", "StorageGCWatermark");

  public RepoConfig {
    if (!PROFILES.contains(importProfile)) {
      throw new RepoException(
          "config: import.profile must be one of " + PROFILES + ", got '" + importProfile + "'");
    }
    if (apiAddress == null || gatewayAddress == null) {
      throw new RepoException("config: Addresses.API and Addresses.Gateway are required");
    }
    Objects.requireNonNull(datastore, "datastore");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(pinning, "pinning");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(swarm, "swarm");
    Objects.requireNonNull(internal, "internal");
    swarmAddresses = List.copyOf(swarmAddresses);
    bootstrap = List.copyOf(bootstrap);
  }

  /** A config with the default swarm address and no bootstrap peers. */
  public RepoConfig(
      int version,
      String importProfile,
      Multiaddr apiAddress,
      Multiaddr gatewayAddress,
      Datastore datastore) {
    this(
        version,
        importProfile,
        apiAddress,
        gatewayAddress,
        datastore,
        List.of(Multiaddr.parse(DEFAULT_SWARM)),
        List.of(),
        ApiSection.defaults(),
        LogSection.defaults(),
        HttpSection.defaults(),
        PinningSection.defaults(),
        ClusterSection.defaults(),
        SwarmSection.defaults(),
        InternalSection.defaults());
  }

  /** A config with the given addresses and the default storage limits. */
  public RepoConfig(
      int version, String importProfile, Multiaddr apiAddress, Multiaddr gatewayAddress) {
    this(version, importProfile, apiAddress, gatewayAddress, Datastore.defaults());
  }

  /** A config with the given profile and the default addresses. */
  public RepoConfig(int version, String importProfile) {
    this(version, importProfile, Multiaddr.parse(DEFAULT_API), Multiaddr.parse(DEFAULT_GATEWAY));
  }

  /**
   * Storage limits, as Kubo's {@code Datastore} section names them.
   *
   * @param storageMax size the repo should stay under: a byte count with an optional unit ({@code
   *     B, kB, MB, GB, TB} powers of 1000; {@code KiB, MiB, GiB, TiB} powers of 1024)
   * @param storageGcWatermark percentage of {@code storageMax} above which automatic GC runs
   */
  public record Datastore(String storageMax, int storageGcWatermark) {
    public static final String DEFAULT_STORAGE_MAX = "10GB";
    public static final int DEFAULT_GC_WATERMARK = 90;
    private static final Pattern SIZE =
        Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?i?b?)?\\s*", Pattern.CASE_INSENSITIVE);

    public Datastore {
      storageMaxBytes(storageMax);
      if (storageGcWatermark < 1 || storageGcWatermark > 100) {
        throw new RepoException(
            "config: Datastore.StorageGCWatermark must be a percentage 1..100, got "
                + storageGcWatermark);
      }
    }

    public static Datastore defaults() {
      return new Datastore(DEFAULT_STORAGE_MAX, DEFAULT_GC_WATERMARK);
    }

    public long storageMaxBytes() {
      return storageMaxBytes(storageMax);
    }

    /** The size at which automatic GC starts. */
    public long gcThresholdBytes() {
      return storageMaxBytes() / 100 * storageGcWatermark;
    }

    static long storageMaxBytes(String text) {
      Matcher m = SIZE.matcher(Objects.requireNonNull(text, "StorageMax"));
      if (!m.matches()) {
        throw new RepoException(
            "config: Datastore.StorageMax must be a size like \"10GB\" or \"512MiB\", got '"
                + text
                + "'");
      }
      String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
      boolean binary = unit.contains("i");
      int power = unit.isEmpty() ? 0 : "bkmgtp".indexOf(unit.charAt(0));
      double base = binary ? 1024 : 1000;
      double bytes = Double.parseDouble(m.group(1)) * Math.pow(base, Math.max(power, 0));
      if (bytes >= Long.MAX_VALUE) {
        throw new RepoException("config: Datastore.StorageMax is too large: '" + text + "'");
      }
      return (long) bytes;
    }
  }

  public static RepoConfig defaults() {
    return new RepoConfig(CURRENT_VERSION, DEFAULT_PROFILE);
  }

  /**
   * Kubo's {@code test} profile: the API, the gateway and the swarm on loopback with ports the
   * system picks, and no bootstrap peers, so daemons in tests and benchmarks never collide with
   * each other or reach outside the machine.
   */
  public static RepoConfig testProfile() {
    Multiaddr ephemeral = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    return defaults().toBuilder()
        .apiAddress(ephemeral)
        .gatewayAddress(ephemeral)
        .swarmAddresses(List.of(ephemeral))
        .bootstrap(List.of())
        .build();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** This config with other API and gateway addresses. */
  public RepoConfig withAddresses(Multiaddr api, Multiaddr gateway) {
    return toBuilder().apiAddress(api).gatewayAddress(gateway).build();
  }

  /** This config with other storage limits. */
  public RepoConfig withDatastore(Datastore limits) {
    return toBuilder().datastore(limits).build();
  }

  /** This config with other swarm listen addresses. */
  public RepoConfig withSwarm(List<Multiaddr> swarm) {
    return toBuilder().swarmAddresses(swarm).build();
  }

  /** This config with other bootstrap peers. */
  public RepoConfig withBootstrap(List<Multiaddr> peers) {
    return toBuilder().bootstrap(peers).build();
  }

  /** This config with other RPC API headers and credentials. */
  public RepoConfig withApi(ApiSection section) {
    return toBuilder().api(section).build();
  }

  /** This config with other HTTP server bounds. */
  public RepoConfig withHttp(HttpSection section) {
    return toBuilder().http(section).build();
  }

  /** This config with another {@code PinningService} section. */
  public RepoConfig withPinning(PinningSection section) {
    return toBuilder().pinning(section).build();
  }

  /** This config with another {@code Cluster} section. */
  public RepoConfig withCluster(ClusterSection section) {
    return toBuilder().cluster(section).build();
  }

  /** This config with other libp2p host limits ({@code Swarm.*}, not {@code Addresses.Swarm}). */
  public RepoConfig withSwarmLimits(SwarmSection section) {
    return toBuilder().swarm(section).build();
  }

  /** This config with other Bitswap limits. */
  public RepoConfig withInternal(InternalSection section) {
    return toBuilder().internal(section).build();
  }

  /** This config with other log replication limits. */
  public RepoConfig withLog(LogSection section) {
    return toBuilder().log(section).build();
  }

  /**
   * A config changed in a few parts: a new section is then added here once, not to every {@code
   * with…} method. {@link #build} validates as the constructor does.
   */
  public static final class Builder {
    private int version;
    private String importProfile;
    private Multiaddr apiAddress;
    private Multiaddr gatewayAddress;
    private Datastore datastore;
    private List<Multiaddr> swarmAddresses;
    private List<Multiaddr> bootstrap;
    private ApiSection api;
    private LogSection log;
    private HttpSection http;
    private PinningSection pinning;
    private ClusterSection cluster;
    private SwarmSection swarm;
    private InternalSection internal;

    private Builder(RepoConfig from) {
      version = from.version;
      importProfile = from.importProfile;
      apiAddress = from.apiAddress;
      gatewayAddress = from.gatewayAddress;
      datastore = from.datastore;
      swarmAddresses = from.swarmAddresses;
      bootstrap = from.bootstrap;
      api = from.api;
      log = from.log;
      http = from.http;
      pinning = from.pinning;
      cluster = from.cluster;
      swarm = from.swarm;
      internal = from.internal;
    }

    public Builder version(int value) {
      version = value;
      return this;
    }

    public Builder importProfile(String value) {
      importProfile = value;
      return this;
    }

    public Builder apiAddress(Multiaddr value) {
      apiAddress = value;
      return this;
    }

    public Builder gatewayAddress(Multiaddr value) {
      gatewayAddress = value;
      return this;
    }

    public Builder datastore(Datastore value) {
      datastore = value;
      return this;
    }

    public Builder swarmAddresses(List<Multiaddr> value) {
      swarmAddresses = value;
      return this;
    }

    public Builder bootstrap(List<Multiaddr> value) {
      bootstrap = value;
      return this;
    }

    public Builder api(ApiSection value) {
      api = value;
      return this;
    }

    public Builder log(LogSection value) {
      log = value;
      return this;
    }

    public Builder http(HttpSection value) {
      http = value;
      return this;
    }

    public Builder pinning(PinningSection value) {
      pinning = value;
      return this;
    }

    public Builder cluster(ClusterSection value) {
      cluster = value;
      return this;
    }

    public Builder swarm(SwarmSection value) {
      swarm = value;
      return this;
    }

    public Builder internal(InternalSection value) {
      internal = value;
      return this;
    }

    public RepoConfig build() {
      return new RepoConfig(
          version,
          importProfile,
          apiAddress,
          gatewayAddress,
          datastore,
          swarmAddresses,
          bootstrap,
          api,
          log,
          http,
          pinning,
          cluster,
          swarm,
          internal);
    }
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
    if (version > CURRENT_VERSION || version < 1) {
      throw new RepoException(
          "config.json has repo version "
              + version
              + "; this Tally reads versions 1 to "
              + CURRENT_VERSION);
    }
    JsonObject ds = object(root, "Datastore");
    rejectUnknown(ds, DATASTORE_KEYS, "Datastore.");
    Datastore datastore;
    try {
      datastore =
          new Datastore(
              ds.getString("StorageMax", Datastore.DEFAULT_STORAGE_MAX),
              ds.getInteger("StorageGCWatermark", Datastore.DEFAULT_GC_WATERMARK));
    } catch (ClassCastException e) {
      throw new RepoException(
          "config: Datastore.StorageMax must be a string and StorageGCWatermark a number", e);
    }
    JsonObject addresses = object(root, "Addresses");
    rejectUnknown(addresses, ADDRESS_KEYS, "Addresses.");
    return new RepoConfig(
        version,
        imp.getString("profile", DEFAULT_PROFILE),
        address(addresses, "API", DEFAULT_API),
        address(addresses, "Gateway", DEFAULT_GATEWAY),
        datastore,
        addressList(
            addresses.getValue("Swarm", new JsonArray().add(DEFAULT_SWARM)), "Addresses.Swarm"),
        addressList(root.getValue("Bootstrap", new JsonArray()), "Bootstrap"),
        ApiSection.parse(object(root, "API")),
        LogSection.parse(object(root, "Log")),
        HttpSection.parse(object(root, "HTTP")),
        PinningSection.parse(object(root, "PinningService")),
        ClusterSection.parse(object(root, "Cluster")),
        SwarmSection.parse(object(root, "Swarm")),
        InternalSection.parse(object(root, "Internal")));
  }

  public String toJson() {
    return new JsonObject()
        .put("version", version)
        .put("import", new JsonObject().put("profile", importProfile))
        .put(
            "Addresses",
            new JsonObject()
                .put("API", apiAddress.toString())
                .put("Gateway", gatewayAddress.toString())
                .put("Swarm", strings(swarmAddresses)))
        .put("Bootstrap", strings(bootstrap))
        .put(
            "Datastore",
            new JsonObject()
                .put("StorageMax", datastore.storageMax())
                .put("StorageGCWatermark", datastore.storageGcWatermark()))
        .put("API", api.toJson())
        .put("Log", log.toJson())
        .put("HTTP", http.toJson())
        .put("PinningService", pinning.toJson())
        .put("Cluster", cluster.toJson())
        .put("Swarm", swarm.toJson())
        .put("Internal", internal.toJson())
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

  private static List<Multiaddr> addressList(Object value, String key) {
    if (!(value instanceof JsonArray array)) {
      throw new RepoException("config: '" + key + "' must be a list of multiaddr strings");
    }
    List<Multiaddr> out = new java.util.ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw new RepoException("config: '" + key + "' must be a list of multiaddr strings");
      }
      try {
        out.add(Multiaddr.parse(text));
      } catch (MultiaddrException e) {
        throw new RepoException(
            "config: '" + key + "' has an invalid multiaddr '" + text + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static JsonArray strings(List<Multiaddr> addresses) {
    JsonArray out = new JsonArray();
    addresses.forEach(a -> out.add(a.toString()));
    return out;
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
