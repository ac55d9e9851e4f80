package dev.tally.storage.repo;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.KeyFormatException;
import dev.tally.crypto.PeerId;
import dev.tally.crypto.PrivateKey;
import dev.tally.storage.blocks.H2Blockstore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * A repository directory: {@code config.json}, the node's identity key ({@code identity.key}, the
 * libp2p protobuf encoding, mode 0600) and the H2 database holding blocks. One process at a time
 * opens it for writing (the database file lock enforces it).
 */
public final class Repo implements AutoCloseable {
  public static final String ENV_PATH = "TALLY_PATH";
  static final String CONFIG_FILE = "config.json";
  static final String DB_FILE = "tally.mv.db";
  static final String KEY_FILE = "identity.key";

  private final Path dir;
  private final RepoConfig config;
  private final PrivateKey identity;
  private final Blockstore blocks;

  private Repo(Path dir, RepoConfig config, PrivateKey identity, Blockstore blocks) {
    this.dir = dir;
    this.config = config;
    this.identity = identity;
    this.blocks = blocks;
  }

  /** {@code $TALLY_PATH} if set, else {@code ~/.tally}. */
  public static Path defaultPath() {
    String env = System.getenv(ENV_PATH);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".tally");
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG_FILE));
  }

  /** Creates a new repo; refuses to overwrite an existing one. */
  public static Repo init(Path dir, RepoConfig config) {
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
    return open(dir);
  }

  public static Repo open(Path dir) {
    if (!exists(dir)) {
      throw new RepoException("no tally repo found at " + dir + " (run 'tally init')");
    }
    RepoConfig config;
    try {
      config = RepoConfig.parse(Files.readString(dir.resolve(CONFIG_FILE), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RepoException("cannot read " + dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
    }
    PrivateKey identity = readIdentity(dir.resolve(KEY_FILE));
    return new Repo(dir, config, identity, H2Blockstore.open(dir.resolve(DB_FILE)));
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

  public RepoConfig config() {
    return config;
  }

  /** The node's signing key; its public half is the node's peer id. */
  public PrivateKey identity() {
    return identity;
  }

  public PeerId peerId() {
    return PeerId.fromPublicKey(identity.publicKey());
  }

  public Blockstore blocks() {
    return blocks;
  }

  @Override
  public void close() {
    blocks.close();
  }
}
