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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL index of verified log entries, in an embedded H2 database beside the repo's store: one
 * row per entry (CID, log, author, Lamport time, epoch, record kind, loan, value date) with indexes
 * by loan, kind, author and the log's total order, so readers query without scanning the log. Rows
 * come back in {@link Log#order()}'s order: (epoch, Lamport time, author key, CID bytes), the epoch
 * being the first final checkpoint that covers the entry (ADR 018); when the chain of final
 * checkpoints changes, the epochs of the rows are brought in line with it. Rows are written as
 * entries are stored ({@link #follow}); the index can always be rebuilt from the DAG ({@link
 * #reindex}), which is what happens when it lags its log after a crash, or when it was written by a
 * Tally that did not store epochs. Methods block: call them from worker threads.
 */
public final class H2LogIndex implements AutoCloseable {
  private static final int BATCH = 1000;

  private final Connection db;
  // The final-checkpoint chain each followed log's rows were last given epochs by.
  private final Map<Cid, List<Cid>> chains = new HashMap<>();

  private H2LogIndex(Connection db) {
    this.db = db;
  }

  /** Opens (creating if absent) the index database at {@code file} (without {@code .mv.db}). */
  public static H2LogIndex open(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "");
      try (Statement s = c.createStatement()) {
        if (lacksEpochs(c)) {
          // Written by a Tally that sorted by time alone: rebuilt from the logs when followed.
          s.execute("DROP TABLE log_entry");
        }
        s.execute(
            "CREATE TABLE IF NOT EXISTS log_entry ("
                + " cid VARCHAR(128) NOT NULL,"
                + " cid_bytes VARBINARY(128) NOT NULL,"
                + " log VARCHAR(128) NOT NULL,"
                + " author VARCHAR(64) NOT NULL,"
                + " author_key VARBINARY(32) NOT NULL,"
                + " clock_time BIGINT NOT NULL,"
                + " epoch INT NOT NULL,"
                + " kind VARCHAR(64),"
                + " loan VARCHAR(128),"
                + " value_date VARCHAR(32),"
                + " PRIMARY KEY (log, cid))");
        s.execute(
            "CREATE INDEX IF NOT EXISTS log_entry_order"
                + " ON log_entry(log, epoch, clock_time, author_key, cid_bytes)");
        s.execute("CREATE INDEX IF NOT EXISTS log_entry_loan ON log_entry(log, loan)");
        s.execute("CREATE INDEX IF NOT EXISTS log_entry_kind ON log_entry(log, kind)");
        s.execute("CREATE INDEX IF NOT EXISTS log_entry_author ON log_entry(log, author)");
      }
      return new H2LogIndex(c);
    } catch (SQLException e) {
      throw new StorageException("cannot open the log index " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether a {@code log_entry} table exists without the epoch column. */
  private static boolean lacksEpochs(Connection c) throws SQLException {
    try (ResultSet table = c.getMetaData().getTables(null, null, "LOG_ENTRY", null);
        ResultSet epoch = c.getMetaData().getColumns(null, null, "LOG_ENTRY", "EPOCH")) {
      return table.next() && !epoch.next();
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
    Runnable cancel = log.subscribe(entries -> add(log, entries));
    if (count(log.id()) != log.size()) {
      reindex(log);
    } else {
      syncEpochs(log);
    }
    return cancel;
  }

  /** Replaces the rows of {@code log} with one per entry of the replica; returns the count. */
  public synchronized long reindex(Log log) {
    List<Cid> chain = log.checkpoints().finalChain();
    long n =
        transaction(
            "cannot reindex log " + log.id(),
            () -> {
              try (PreparedStatement del =
                  db.prepareStatement("DELETE FROM log_entry WHERE log = ?")) {
                del.setString(1, log.id().toString());
                del.executeUpdate();
              }
              long count = 0;
              List<Entry> batch = new ArrayList<>(BATCH);
              Iterator<Entry> it = log.entries().iterator();
              while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == BATCH) {
                  count += insert(log, batch);
                  batch.clear();
                }
              }
              return count + insert(log, batch);
            });
    chains.put(log.id(), chain);
    return n;
  }

  /**
   * Adds rows for {@code entries} of {@code log} (already verified and stored), in one transaction;
   * if they changed the chain of final checkpoints, the epochs of the log's rows follow it.
   */
  private synchronized void add(Log log, List<Entry> entries) {
    List<Cid> chain = log.checkpoints().finalChain();
    boolean moved = !chain.equals(chains.get(log.id()));
    transaction(
        "cannot index " + entries.size() + " entries",
        () -> {
          insert(log, entries);
          if (moved) {
            updateEpochs(log);
          }
          return null;
        });
    chains.put(log.id(), chain);
  }

  /** Brings the epochs of {@code log}'s rows in line with its chain, if it changed since. */
  private synchronized void syncEpochs(Log log) {
    List<Cid> chain = log.checkpoints().finalChain();
    if (!chain.equals(chains.get(log.id()))) {
      transaction(
          "cannot update the epochs of log " + log.id(),
          () -> {
            updateEpochs(log);
            return null;
          });
      chains.put(log.id(), chain);
    }
  }

  /** Work on the index database that may fail. */
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction; a failure rolls it back and is reported as {@code what}.
   */
  private <T> T transaction(String what, SqlWork<T> work) {
    try {
      db.setAutoCommit(false);
      T result = work.run();
      db.commit();
      return result;
    } catch (SQLException e) {
      rollback();
      throw new StorageException(what + ": " + e.getMessage(), e);
    } finally {
      autoCommit();
    }
  }

  /**
   * Gives every row of {@code log} whose epoch differs from the log's its current one. The chain
   * changes once per final checkpoint, so one pass over the log's rows each time is cheap.
   */
  private void updateEpochs(Log log) throws SQLException {
    List<String> cids = new ArrayList<>();
    List<Integer> epochs = new ArrayList<>();
    try (PreparedStatement q =
        db.prepareStatement("SELECT cid, epoch FROM log_entry WHERE log = ?")) {
      q.setString(1, log.id().toString());
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          int now = log.checkpoints().epoch(Cid.parse(r.getString(1)));
          if (now != r.getInt(2)) {
            cids.add(r.getString(1));
            epochs.add(now);
          }
        }
      }
    }
    try (PreparedStatement u =
        db.prepareStatement("UPDATE log_entry SET epoch = ? WHERE log = ? AND cid = ?")) {
      for (int i = 0; i < cids.size(); i++) {
        u.setInt(1, epochs.get(i));
        u.setString(2, log.id().toString());
        u.setString(3, cids.get(i));
        u.addBatch();
      }
      u.executeBatch();
    }
  }

  private int insert(Log log, List<Entry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return 0;
    }
    try (PreparedStatement p =
        db.prepareStatement(
            "MERGE INTO log_entry (cid, cid_bytes, log, author, author_key, clock_time, epoch,"
                + " kind, loan, value_date) KEY (log, cid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Entry e : entries) {
        byte[] author = e.author();
        p.setString(1, e.cid().toString());
        p.setBytes(2, e.cid().bytes());
        p.setString(3, e.log().toString());
        p.setString(4, PeerId.fromPublicKey(Ed25519PublicKey.of(author)).toString());
        p.setBytes(5, author);
        p.setLong(6, e.time());
        p.setInt(7, log.checkpoints().epoch(e.cid()));
        p.setString(8, text(e.record(), "kind").orElse(null));
        p.setString(9, text(e.record(), "loan").orElse(null));
        p.setString(10, text(e.record(), "valueDate").orElse(null));
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
                + " = ? ORDER BY epoch, clock_time, author_key, cid_bytes")) {
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
