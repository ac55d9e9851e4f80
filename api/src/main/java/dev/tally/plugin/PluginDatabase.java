package dev.tally.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * One plugin's private H2 database: a file database under {@code <data>/<name>/} (or an in-memory
 * one), reached only through the pool handed to that plugin, so no plugin sees another's tables or
 * the node's store.
 */
final class PluginDatabase implements AutoCloseable {
  private static final AtomicLong MEMORY_IDS = new AtomicLong();
  private static final int MAX_CONNECTIONS = 8;

  private final JdbcConnectionPool pool;

  PluginDatabase(String plugin, Optional<Path> dataDir) {
    dataDir.ifPresent(d -> createDirectory(d.resolve(plugin)));
    String url =
        dataDir
            .map(d -> "jdbc:h2:file:" + d.resolve(plugin).resolve(plugin).toAbsolutePath())
            .orElseGet(
                () ->
                    "jdbc:h2:mem:plugin-"
                        + plugin
                        + "-"
                        + MEMORY_IDS.incrementAndGet()
                        + ";DB_CLOSE_DELAY=-1");
    pool = JdbcConnectionPool.create(url, "plugin", "");
    pool.setMaxConnections(MAX_CONNECTIONS);
  }

  // Plugins start in parallel: H2 creating the shared parent directory itself races ("a file with
  // this name already exists"), while Files.createDirectories accepts a directory made meanwhile.
  private static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the plugin database directory " + dir, e);
    }
  }

  DataSource dataSource() {
    return pool;
  }

  /** Closes the database even if the plugin left connections open. */
  @Override
  public void close() {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      // Already closed, or the pool is exhausted by a hung plugin: disposing is what is left.
    } finally {
      pool.dispose();
    }
  }
}
