package dev.tally.storage.logindex;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import java.nio.file.Path;
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
}
