package com.example.portfolio;

import dev.tally.plugin.spi.json.JsonWriter;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Counts records by kind in the plugin's own tables, and stores the checkpoint (the heads the
 * counts reflect) in the same transaction, so a restart resumes exactly where it stopped.
 */
final class ActivityStore {
  private final DataSource db;

  ActivityStore(DataSource db) {
    this.db = db;
  }

  void createTables() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS activity(kind VARCHAR PRIMARY KEY, records BIGINT NOT NULL,"
              + " flagged BIGINT NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS checkpoint(id INT PRIMARY KEY, heads VARCHAR NOT NULL)");
    }
  }

  /** Where counting stopped: the heads of the last counted entry, or the start of the log. */
  Heads checkpoint() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT heads FROM checkpoint WHERE id = 1")) {
      return r.next() ? Heads.parse(r.getString(1)) : Heads.NONE;
    }
  }

  /** Counts one entry and moves the checkpoint past it, atomically. */
  void count(VerifiedEntry entry, Heads after) throws SQLException {
    String kind = entry.kind().isEmpty() ? "(not a lending record)" : entry.kind();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement up =
              c.prepareStatement(
                  "MERGE INTO activity t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT)))"
                      + " s(kind, flagged) ON t.kind = s.kind"
                      + " WHEN MATCHED THEN UPDATE SET records = t.records + 1,"
                      + " flagged = t.flagged + s.flagged"
                      + " WHEN NOT MATCHED THEN INSERT VALUES (s.kind, 1, s.flagged)");
          PreparedStatement cp =
              c.prepareStatement("MERGE INTO checkpoint KEY(id) VALUES (1, ?)")) {
        up.setString(1, kind);
        up.setLong(2, entry.applied() ? 0 : 1);
        up.executeUpdate();
        cp.setString(1, after.toString());
        cp.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  String json() throws SQLException {
    JsonWriter w = new JsonWriter().beginObject();
    w.name("heads").beginArray();
    checkpoint().cids().forEach(w::value);
    w.endArray().name("kinds").beginArray();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT kind, records, flagged FROM activity ORDER BY kind")) {
      while (r.next()) {
        w.beginObject()
            .field("kind", r.getString(1))
            .field("records", r.getLong(2))
            .field("flagged", r.getLong(3))
            .endObject();
      }
    }
    return w.endArray().endObject().toString();
  }
}
