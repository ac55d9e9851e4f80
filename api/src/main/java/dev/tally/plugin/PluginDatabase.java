package dev.tally.plugin;

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
