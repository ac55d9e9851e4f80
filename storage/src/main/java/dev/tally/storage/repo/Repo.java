package dev.tally.storage.repo;

import dev.tally.blockstore.Blockstore;
import dev.tally.storage.blocks.H2Blockstore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository directory: {@code config.json} and the H2 database holding blocks. One process at a
 * time opens it for writing (the database file lock enforces it).
 */
public final class Repo implements AutoCloseable {
  public static final String ENV_PATH = "TALLY_PATH";
  static final String CONFIG_FILE = "config.json";
  static final String DB_FILE = "tally.mv.db";

  private final Path dir;
  private final RepoConfig config;
  private final Blockstore blocks;

  private Repo(Path dir, RepoConfig config, Blockstore blocks) {
    this.dir = dir;
    this.config = config;
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
      Path tmp = dir.resolve(CONFIG_FILE + ".tmp");
      Files.writeString(tmp, config.toJson() + "\n", StandardCharsets.UTF_8);
      // The config appears atomically, so a crash never leaves a half-written repo that "exists".
      Files.move(tmp, dir.resolve(CONFIG_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
    return new Repo(dir, config, H2Blockstore.open(dir.resolve(DB_FILE)));
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

  public Blockstore blocks() {
    return blocks;
  }

  @Override
  public void close() {
    blocks.close();
  }
}
