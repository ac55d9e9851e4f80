package dev.tally.storage.logindex;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.storage.StorageException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The SQL index of verified log entries, in an embedded H2 database beside the repo's store: one
 * row per entry (CID, log, author, Lamport time, record kind, loan, value date) with indexes by
 * loan, kind, author and the log's total order, so readers query without scanning the log. Rows are
 * written as entries are stored ({@link #follow}); the index can always be rebuilt from the DAG
 * ({@link #reindex}), which is what happens when it lags its log after a crash. Methods block: call
 * them from worker threads.
 */
public final class H2LogIndex implements AutoCloseable {
  private static final int BATCH = 1000;

  private final Connection db;

  private H2LogIndex(Connection db) {
    this.db = db;
  }

  /** Opens (creating if absent) the index database at {@code file} (without {@code .mv.db}). */
  public static H2LogIndex open(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "");
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS log_entry ("
                + " cid VARCHAR(128) NOT NULL,"
                + " log VARCHAR(128) NOT NULL,"
                + " author VARCHAR(64) NOT NULL,"
                + " author_key VARBINARY(32) NOT NULL,"
                + " clock_time BIGINT NOT NULL,"
                + " kind VARCHAR(64),"
                + " loan VARCHAR(128),"
                + " value_date VARCHAR(32),"
                + " PRIMARY KEY (log, cid))");
        s.execute(
            "CREATE INDEX IF NOT EXISTS log_entry_order ON log_entry(log, clock_time, author_key, cid)");
        s.execute("CREATE INDEX IF NOT EXISTS log_entry_loan ON log_entry(log, loan)");
        s.execute("CREATE INDEX IF NOT EXISTS log_entry_kind ON log_entry(log, kind)");
        s.execute("CREATE INDEX IF NOT EXISTS log_entry_author ON log_entry(log, author)");
      }
      return new H2LogIndex(c);
    } catch (SQLException e) {
      throw new StorageException("cannot open the log index " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * One indexed entry.
   *
   * @param author the author's peer id
   * @param kind the record's {@code kind}, if it has one
   * @param loan the record's {@code loan} (text or CID), if it has one
   * @param valueDate the record's {@code valueDate}, if it has one
   */
  public record Row(
      Cid cid,
      Cid log,
      String author,
      long time,
      Optional<String> kind,
      Optional<String> loan,
      Optional<String> valueDate) {}

  /**
   * Keeps the index in step with {@code log}: rebuilds it if its row count differs from the log's
   * size, then adds the rows of every entry the log stores from now on.
   *
   * @return cancels following
   */
  public Runnable follow(Log log) {
    Runnable cancel = log.subscribe(this::add);
    if (count(log.id()) != log.size()) {
      reindex(log);
    }
    return cancel;
  }

  /** Replaces the rows of {@code log} with one per entry of the replica; returns the count. */
  public synchronized long reindex(Log log) {
    try {
      db.setAutoCommit(false);
      try (PreparedStatement del = db.prepareStatement("DELETE FROM log_entry WHERE log = ?")) {
        del.setString(1, log.id().toString());
        del.executeUpdate();
      }
      long n = 0;
      List<Entry> batch = new ArrayList<>(BATCH);
      Iterator<Entry> it = log.entries().iterator();
      while (it.hasNext()) {
        batch.add(it.next());
        if (batch.size() == BATCH) {
          n += insert(batch);
          batch.clear();
        }
      }
      n += insert(batch);
      db.commit();
      return n;
    } catch (SQLException e) {
      rollback();
      throw new StorageException("cannot reindex log " + log.id() + ": " + e.getMessage(), e);
    } finally {
      autoCommit();
    }
  }

  /** Adds rows for {@code entries} (already verified and stored), in one transaction. */
  public synchronized void add(List<Entry> entries) {
    try {
      db.setAutoCommit(false);
      insert(entries);
      db.commit();
    } catch (SQLException e) {
      rollback();
      throw new StorageException(
          "cannot index " + entries.size() + " entries: " + e.getMessage(), e);
    } finally {
      autoCommit();
    }
  }

  private int insert(List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return 0;
    }
    try (PreparedStatement p =
        db.prepareStatement(
            "MERGE INTO log_entry (cid, log, author, author_key, clock_time, kind, loan, value_date)"
                + " KEY (log, cid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Entry e : entries) {
        byte[] author = e.author();
        p.setString(1, e.cid().toString());
        p.setString(2, e.log().toString());
        p.setString(3, PeerId.fromPublicKey(Ed25519PublicKey.of(author)).toString());
        p.setBytes(4, author);
        p.setLong(5, e.time());
        p.setString(6, text(e.record(), "kind").orElse(null));
        p.setString(7, text(e.record(), "loan").orElse(null));
        p.setString(8, text(e.record(), "valueDate").orElse(null));
        p.addBatch();
      }
      p.executeBatch();
    }
    return entries.size();
  }

  /** A top-level string (or link, as its CID) field of a map record. */
  private static Optional<String> text(IpldNode record, String field) {
    if (!(record instanceof IpldMap m)) {
      return Optional.empty();
    }
    return m.get(field)
        .flatMap(
            v ->
                switch (v.kind()) {
                  case STRING -> Optional.of(truncate(v.asString()));
                  case LINK -> Optional.of(v.asLink().toString());
                  default -> Optional.empty();
                });
  }

  private static String truncate(String s) {
    return s.length() <= 128 ? s : s.substring(0, 128);
  }

  /** Rows of {@code log}. */
  public synchronized long count(Cid log) {
    try (PreparedStatement p =
        db.prepareStatement("SELECT COUNT(*) FROM log_entry WHERE log = ?")) {
      p.setString(1, log.toString());
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw new StorageException("cannot count the index of " + log + ": " + e.getMessage(), e);
    }
  }

  /** The rows of {@code log} about {@code loan}, in the log's total order. */
  public List<Row> byLoan(Cid log, String loan) {
    return query("loan", log, loan);
  }

  /** The rows of {@code log} with record kind {@code kind}, in total order. */
  public List<Row> byKind(Cid log, String kind) {
    return query("kind", log, kind);
  }

  /** The rows of {@code log} written by {@code author} (a peer id), in total order. */
  public List<Row> byAuthor(Cid log, String author) {
    return query("author", log, author);
  }

  private synchronized List<Row> query(String column, Cid log, String value) {
    try (PreparedStatement p =
        db.prepareStatement(
            "SELECT cid, log, author, clock_time, kind, loan, value_date FROM log_entry"
                + " WHERE log = ? AND "
                + column
                + " = ? ORDER BY clock_time, author_key, cid")) {
      p.setString(1, log.toString());
      p.setString(2, value);
      List<Row> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(
              new Row(
                  Cid.parse(r.getString(1)),
                  Cid.parse(r.getString(2)),
                  r.getString(3),
                  r.getLong(4),
                  Optional.ofNullable(r.getString(5)),
                  Optional.ofNullable(r.getString(6)),
                  Optional.ofNullable(r.getString(7))));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StorageException("cannot query the log index: " + e.getMessage(), e);
    }
  }

  private void rollback() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the connection is gone; the next call reports it
    }
  }

  private void autoCommit() {
    try {
      db.setAutoCommit(true);
    } catch (SQLException ignored) {
      // as above
    }
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StorageException("cannot close the log index: " + e.getMessage(), e);
    }
  }
}
