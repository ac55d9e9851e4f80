package dev.tally.storage.repo;

import dev.tally.cluster.PinsetSnapshot;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.KeyFormatException;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.log.StateLayout;
import dev.tally.log.store.HeadsFiles;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.Database;
import dev.tally.storage.blocks.LegacyLayout;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.storage.dag.BlockFetcher;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.gc.LogGcRoots;
import dev.tally.storage.pin.Pinner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * A repository directory: {@code config.json}, the node's identity key ({@code identity.key}, the
 * libp2p protobuf encoding, mode 0600), {@code repo.lock}, the H2 database {@code tally.mv.db}
 * (block index, pins) and the block packs under {@code blocks/}. One process at a time opens it.
 * The services (blocks, pins, garbage collection) are independent of any UI: the CLI and the daemon
 * both drive them.
 */
public final class Repo implements AutoCloseable {
  public static final String ENV_PATH = "TALLY_PATH";
  static final String CONFIG_FILE = "config.json";
  static final String DB_FILE = "tally.mv.db";
  static final String KEY_FILE = "identity.key";
  static final String BLOCKS_DIR = "blocks";

  private final Path dir;
  private volatile RepoConfig config;
  private final PrivateKey identity;
  private final RepoLock lock;
  private final Database db;
  private final PackBlockstore blocks;
  private final BlockLeases leases;
  private final Pinner pins;
  private final GarbageCollector gc;

  /** How garbage collection keeps the checkpoint states of the logs this node holds (ADR 026). */
  public static final Map<String, StateLayout> STATE_LAYOUTS =
      Map.of(PinsetSnapshot.TYPE, PinsetSnapshot.LAYOUT);

  private Repo(
      Path dir,
      RepoConfig config,
      PrivateKey identity,
      RepoLock lock,
      Database db,
      PackBlockstore blocks) {
    this.dir = dir;
    this.config = config;
    this.identity = identity;
    this.lock = lock;
    this.db = db;
    this.blocks = blocks;
    this.leases = new BlockLeases();
    this.pins = new Pinner(db, blocks, leases, BlockFetcher.OFFLINE);
    this.gc = new GarbageCollector(blocks, leases);
    gc.addRoots(pins);
    HeadsFiles files = HeadsFiles.ofRepo(dir);
    gc.addRoots(
        new LogGcRoots(
            () -> {
              Map<Cid, List<Cid>> heads = new TreeMap<>();
              for (Cid log : files.logs()) {
                files.heads(log).ifPresent(h -> heads.put(log, h));
              }
              return heads;
            },
            STATE_LAYOUTS));
  }

  /**
   * The repo's database, for maintenance ({@link Database#rewrite}); components reach their own
   * maps through the stores that opened them.
   */
  public Database database() {
    return db;
  }

  /** {@code $TALLY_PATH} if set, else {@code ~/.tally}. */
  public static Path defaultPath() {
    return defaultPath(System.getenv(), System.getProperty("user.home"));
  }

  /**
   * {@code $TALLY_PATH} if set in {@code env}, else {@code .tally} under {@code $HOME}, else under
   * {@code userHome}. {@code $HOME} comes first, as for Kubo's {@code ~/.ipfs}: the JVM's {@code
   * user.home} is the account's home from the password database and ignores a {@code HOME} set for
   * one run (a sandbox, a CI job, a second node).
   */
  static Path defaultPath(java.util.Map<String, String> env, String userHome) {
    String path = env.get(ENV_PATH);
    if (path != null && !path.isBlank()) {
      return Path.of(path);
    }
    String home = env.get("HOME");
    return Path.of(home != null && !home.isBlank() ? home : userHome, ".tally");
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG_FILE));
  }

  /** Creates a new repo; refuses to overwrite an existing one. */
  public static Repo init(Path dir, RepoConfig config) {
    return init(dir, config, PackOptions.defaults());
  }

  /** Creates a new repo with the given pack limits (tests cap the capacity). */
  public static Repo init(Path dir, RepoConfig config, PackOptions packs) {
    if (exists(dir)) {
      throw new RepoException("a tally repo already exists at " + dir);
    }
    try {
      Files.createDirectories(dir);
      Path keyTmp = dir.resolve(KEY_FILE + ".tmp");
      Files.deleteIfExists(keyTmp);
      Files.createFile(
          keyTmp,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(keyTmp, Ed25519PrivateKey.generate(new SecureRandom()).marshal());
      Files.move(keyTmp, dir.resolve(KEY_FILE), StandardCopyOption.ATOMIC_MOVE);
      Path tmp = dir.resolve(CONFIG_FILE + ".tmp");
      Files.writeString(tmp, config.toJson() + "\n", StandardCharsets.UTF_8);
      // The config appears last and atomically: a repo "exists" only once it is complete.
      Files.move(tmp, dir.resolve(CONFIG_FILE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new RepoException("cannot create repo at " + dir + ": " + e.getMessage(), e);
    }
    return open(dir, packs);
  }

  public static Repo open(Path dir) {
    return open(dir, PackOptions.defaults());
  }

  /**
   * Opens the repo: takes the lock, runs migrations, opens the database and the packs (cutting a
   * torn pack tail left by a crash).
   *
   * @throws RepoException if there is no repo, or another process holds it ({@code repo DIR is in
   *     use by process N})
   */
  public static Repo open(Path dir, PackOptions packs) {
    if (!exists(dir)) {
      throw new RepoException("no tally repo found at " + dir + " (run 'tally init')");
    }
    RepoLock lock = RepoLock.acquire(dir);
    Database db = null;
    try {
      RepoConfig config = readConfig(dir);
      if (config.version() < RepoConfig.CURRENT_VERSION) {
        RepoMigrations.migrate(dir, config.version(), RepoMigrations.ALL);
        config = readConfig(dir);
      }
      PrivateKey identity = readIdentity(dir.resolve(KEY_FILE));
      db = Database.open(dir.resolve(DB_FILE));
      PackBlockstore blocks = PackBlockstore.open(db, dir.resolve(BLOCKS_DIR), packs);
      LegacyLayout.migrate(db, blocks);
      return new Repo(dir, config, identity, lock, db, blocks);
    } catch (RuntimeException e) {
      if (db != null) {
        try {
          db.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      lock.close();
      throw e;
    }
  }

  private static RepoConfig readConfig(Path dir) {
    try {
      return RepoConfig.parse(Files.readString(dir.resolve(CONFIG_FILE), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RepoException("cannot read " + dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey readIdentity(Path file) {
    try {
      return PrivateKey.unmarshal(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new RepoException("cannot read the node identity " + file + ": " + e.getMessage(), e);
    } catch (KeyFormatException e) {
      throw new RepoException("the node identity " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** Opens the repo, creating it with default settings on first use. */
  public static Repo openOrInit(Path dir) {
    return exists(dir) ? open(dir) : init(dir, RepoConfig.defaults());
  }

  public Path dir() {
    return dir;
  }

  /** The config as last read or written (a running daemon sees {@link #writeConfig} at once). */
  public RepoConfig config() {
    return config;
  }

  /**
   * Replaces {@code config.json} atomically. Addresses and bootstrap peers take effect when the
   * repo is next opened; readers of {@link #config()} see the new value at once.
   */
  public synchronized void writeConfig(RepoConfig updated) {
    Path tmp = dir.resolve(CONFIG_FILE + ".tmp");
    try {
      Files.writeString(tmp, updated.toJson() + "\n", StandardCharsets.UTF_8);
      Files.move(
          tmp,
          dir.resolve(CONFIG_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new RepoException(
          "cannot write " + dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
    }
    config = updated;
  }

  /** The node's signing key; its public half is the node's peer id. */
  public PrivateKey identity() {
    return identity;
  }

  public PeerId peerId() {
    return PeerId.fromPublicKey(identity.publicKey());
  }

  public PackBlockstore blocks() {
    return blocks;
  }

  public Pinner pins() {
    return pins;
  }

  /** Leases that keep an operation's blocks from garbage collection until its pin is written. */
  public BlockLeases leases() {
    return leases;
  }

  public GarbageCollector gc() {
    return gc;
  }

  /** Kubo's {@code repo stat} figures; the size is every file under the repo directory. */
  public RepoStat stat() {
    long size;
    try (Stream<Path> walk = Files.walk(dir)) {
      size =
          walk.filter(Files::isRegularFile)
              .mapToLong(
                  p -> {
                    try {
                      return Files.size(p);
                    } catch (IOException e) {
                      return 0; // a file removed under us (a compacted pack) no longer counts
                    }
                  })
              .sum();
    } catch (IOException | UncheckedIOException e) {
      throw new RepoException("cannot measure repo " + dir + ": " + e.getMessage(), e);
    }
    return new RepoStat(
        blocks.size(),
        size,
        config.datastore().storageMaxBytes(),
        dir,
        "tally-repo@" + config.version());
  }

  /**
   * Runs a garbage collection if the repo has grown past {@code StorageGCWatermark} percent of
   * {@code StorageMax} (the daemon calls this periodically, as Kubo's {@code --enable-gc} does).
   */
  public Optional<GarbageCollector.Result> collectIfOverWatermark() {
    if (stat().repoSize() < config.datastore().gcThresholdBytes()) {
      return Optional.empty();
    }
    return Optional.of(gc.collect(new GarbageCollector.Listener() {}));
  }

  /**
   * Reads and re-hashes every block, reporting each bad one (named CIDv1 raw of its multihash, as
   * Kubo names blockstore keys) with what is wrong; returns how many blocks were checked.
   */
  public long verify(BiConsumer<Cid, String> bad) {
    return blocks.verify((mh, why) -> bad.accept(Cid.v1(Multicodec.RAW, mh), why));
  }

  @Override
  public void close() {
    try {
      pins.close();
      blocks.close();
      db.close();
    } finally {
      lock.close();
    }
  }
}
