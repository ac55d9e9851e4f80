package dev.tally.storage.logindex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2LogIndexTest {
  @TempDir Path dir;

  private static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[9] = 0x11;
    return Ed25519PrivateKey.fromSeed(s);
  }

  private static IpldNode record(String kind, String loan) {
    return IpldNode.map()
        .put("kind", kind)
        .put("schema", 1)
        .put("loan", loan)
        .put("valueDate", "2026-11-25")
        .put("body", IpldNode.map().build())
        .build();
  }

  @Test
  void indexesEveryStoredEntryAndAnswersByLoanKindAndAuthorInTotalOrder() {
    Ed25519PrivateKey alice = key(1);
    Ed25519PrivateKey bob = key(2);
    LogManifest m =
        LogManifest.create("loans", 1, List.of(alice.publicKey(), bob.publicKey()), 0, List.of());
    Log log = Log.create(m, new MemoryBlockstore());
    try (H2LogIndex index = H2LogIndex.open(dir.resolve("logindex"))) {
      index.follow(log);
      Entry r1 = log.append(record("LoanRequested", "L1"), alice);
      log.append(record("LoanRequested", "L2"), bob);
      Entry o1 = log.append(record("OfferMade", "L1"), bob);
      log.append(IpldNode.of("not a map"), alice);
      assertEquals(4, index.count(log.id()));
      List<H2LogIndex.Row> l1 = index.byLoan(log.id(), "L1");
      assertEquals(List.of(r1.cid(), o1.cid()), l1.stream().map(H2LogIndex.Row::cid).toList());
      assertEquals(Optional.of("LoanRequested"), l1.get(0).kind());
      assertEquals(Optional.of("2026-11-25"), l1.get(0).valueDate());
      assertEquals(2, index.byKind(log.id(), "LoanRequested").size());
      assertEquals(2, index.byAuthor(log.id(), bob.publicKey().peerId().toString()).size());
    }
  }

  @Test
  void aLaggingIndexIsRebuiltFromTheLogWhenFollowed() {
    Ed25519PrivateKey alice = key(1);
    LogManifest m = LogManifest.create("loans", 1, List.of(alice.publicKey()), 0, List.of());
    Log log = Log.create(m, new MemoryBlockstore());
    for (int i = 0; i < 25; i++) {
      log.append(record("RepaymentReceived", "L" + (i % 3)), alice);
    }
    try (H2LogIndex index = H2LogIndex.open(dir.resolve("logindex"))) {
      assertEquals(0, index.count(log.id()));
      index.follow(log); // as after a crash between storing entries and indexing them
      assertEquals(25, index.count(log.id()));
      assertEquals(9, index.byLoan(log.id(), "L0").size());
      assertEquals(25, index.reindex(log));
      assertEquals(25, index.count(log.id()));
    }
    try (H2LogIndex reopened = H2LogIndex.open(dir.resolve("logindex"))) {
      assertEquals(25, reopened.count(log.id()), "rows survive a reopen");
    }
  }

  private static List<Cid> cids(List<H2LogIndex.Row> rows) {
    return rows.stream().map(H2LogIndex.Row::cid).toList();
  }

  private static void sync(Log to, Log from) {
    assertEquals(List.of(), to.join(from.heads(), from.store()::get).rejected());
  }

  @Test
  void rowsFollowTheEpochOrderOnceAFinalCheckpointCutsTheLog() {
    Ed25519PrivateKey alice = key(1);
    Ed25519PrivateKey bob = key(2);
    Ed25519PrivateKey carol = key(3);
    LogManifest m =
        LogManifest.create(
            "loans",
            1,
            List.of(alice.publicKey(), bob.publicKey(), carol.publicKey()),
            0,
            List.of(alice.publicKey()));
    Log a = Log.create(m, new MemoryBlockstore());
    Log partitioned = Log.create(m, new MemoryBlockstore());
    Log follower = Log.create(m, new MemoryBlockstore());
    List<Cid> shared = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      shared.add(a.append(record("Note", "L1"), alice).cid());
    }
    sync(partitioned, a);
    // Bob, cut off, writes at Lamport time 4; alice goes on to 5 and proposes a checkpoint.
    Entry late = partitioned.append(record("Note", "L1"), bob);
    assertEquals(4, late.time());
    Entry a4 = a.append(record("Note", "L1"), alice);
    Entry a5 = a.append(record("Note", "L1"), alice);
    Entry proposal = a.checkpoints().propose(alice);
    try (H2LogIndex index = H2LogIndex.open(dir.resolve("logindex"))) {
      index.follow(follower);
      sync(follower, a);
      sync(follower, partitioned);
      // Nothing is final yet: Lamport time puts bob's entry (time 4) before a5 (time 5).
      List<Cid> byTime = cids(index.byLoan(follower.id(), "L1"));
      assertTrue(byTime.indexOf(late.cid()) < byTime.indexOf(a5.cid()), byTime.toString());
      // Carol's endorsement makes the checkpoint final (quorum 2 of 3): what it covers comes
      // first, and bob's concurrent entry after all of it (ADR 018), though it is older.
      a.checkpoints().endorse(proposal.cid(), carol);
      sync(follower, a);
      List<Cid> cut =
          List.of(shared.get(0), shared.get(1), shared.get(2), a4.cid(), a5.cid(), late.cid());
      assertEquals(cut, cids(index.byLoan(follower.id(), "L1")));
      assertEquals(cut, follower.order().stream().filter(cut::contains).toList());
      assertEquals(cut, cids(index.byKind(follower.id(), "Note")));
    }
    try (H2LogIndex reopened = H2LogIndex.open(dir.resolve("logindex"))) {
      reopened.follow(follower);
      assertEquals(
          List.of(shared.get(0), shared.get(1), shared.get(2), a4.cid(), a5.cid(), late.cid()),
          cids(reopened.byLoan(follower.id(), "L1")),
          "the order survives a reopen");
    }
  }

  @Test
  void anIndexWrittenWithoutEpochsIsRebuiltInTheEpochOrder() throws Exception {
    Ed25519PrivateKey alice = key(1);
    LogManifest m = LogManifest.create("loans", 1, List.of(alice.publicKey()), 0, List.of());
    Log log = Log.create(m, new MemoryBlockstore());
    Entry first = log.append(record("Note", "L1"), alice);
    Entry second = log.append(record("Note", "L1"), alice);
    // The table as session 3's Tally created it, holding one of the two rows.
    Path file = dir.resolve("old");
    try (Connection c =
            DriverManager.getConnection("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "");
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE log_entry (cid VARCHAR(128) NOT NULL, log VARCHAR(128) NOT NULL,"
              + " author VARCHAR(64) NOT NULL, author_key VARBINARY(32) NOT NULL,"
              + " clock_time BIGINT NOT NULL, kind VARCHAR(64), loan VARCHAR(128),"
              + " value_date VARCHAR(32), PRIMARY KEY (log, cid))");
      s.execute(
          "INSERT INTO log_entry VALUES ('"
              + first.cid()
              + "', '"
              + log.id()
              + "', 'x', X'00', 1, 'Note', 'L1', NULL)");
    }
    try (H2LogIndex index = H2LogIndex.open(file)) {
      index.follow(log);
      assertEquals(2, index.count(log.id()));
      assertEquals(List.of(first.cid(), second.cid()), cids(index.byLoan(log.id(), "L1")));
    }
  }
}
