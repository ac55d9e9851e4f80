package dev.tally.plugin.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldMap;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import dev.tally.plugin.spi.log.EntryPage;
import dev.tally.plugin.spi.log.Heads;
import dev.tally.plugin.spi.log.Link;
import dev.tally.plugin.spi.log.VerifiedEntry;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogRecordsTest {
  private static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[Ed25519PrivateKey.SEED_LENGTH];
    Arrays.fill(s, (byte) seed);
    return Ed25519PrivateKey.fromSeed(s);
  }

  private final Ed25519PrivateKey alice = key(1);
  private final Ed25519PrivateKey bob = key(2);
  private final LogManifest manifest =
      LogManifest.create("loans", 1, List.of(alice.publicKey(), bob.publicKey()), 0, List.of());

  private static IpldMap record(String kind, Optional<Cid> loan) {
    IpldMap.Builder b =
        IpldMap.builder().put("kind", kind).put("schema", 1).put("valueDate", "2026-03-01");
    loan.ifPresent(l -> b.put("loan", l));
    return b.put("body", IpldMap.builder().put("amount", 88849).build()).build();
  }

  @Test
  void viewsEntriesWithTheirKindLoanDateAuthorAndFlag() {
    Log log = Log.create(manifest, new MemoryBlockstore());
    Entry request = log.append(record("LoanRequested", Optional.empty()), alice);
    Entry repay = log.append(record("RepaymentReceived", Optional.of(request.cid())), bob);
    LogRecords records =
        new LogRecords(
            log, c -> c.equals(repay.cid()) ? Optional.of("unknown loan") : Optional.empty());
    VerifiedEntry v = records.entry(repay.cid().toString()).orElseThrow();
    assertEquals("RepaymentReceived", v.kind());
    assertEquals(Optional.of(request.cid().toString()), v.loan());
    assertEquals(Optional.of(LocalDate.of(2026, 3, 1)), v.valueDate());
    assertEquals(PeerId.fromPublicKey(bob.publicKey()).toString(), v.author());
    assertEquals(List.of(request.cid().toString()), v.next());
    assertEquals(2L, v.time());
    assertEquals(new Link(request.cid().toString()), v.record().get("loan"));
    assertEquals(88849L, ((Map<?, ?>) v.record().get("body")).get("amount"));
    assertEquals(Optional.of("unknown loan"), v.flag());
    assertFalse(v.applied());
    assertTrue(records.entry(request.cid().toString()).orElseThrow().applied());
    assertTrue(records.entry("not-a-cid").isEmpty());
  }

  @Test
  void deliversTheDeltaAfterACheckpointOldestFirst() {
    MemoryBlockstore storeA = new MemoryBlockstore();
    Log a = Log.create(manifest, storeA);
    Entry e1 = a.append(record("LoanRequested", Optional.empty()), alice);
    Log b = Log.create(manifest, new MemoryBlockstore());
    b.join(a.heads(), storeA::get);
    // Concurrent entries by both writers, then a merge.
    Entry e2 = a.append(record("OfferMade", Optional.of(e1.cid())), alice);
    Entry e3 = b.append(record("OfferMade", Optional.of(e1.cid())), bob);
    a.join(b.heads(), c -> b.store().get(c));
    Entry e4 = a.append(record("LoanAgreed", Optional.of(e1.cid())), alice);
    LogRecords records = new LogRecords(a, c -> Optional.empty());

    List<String> all = records.after(Heads.NONE).map(VerifiedEntry::cid).toList();
    List<String> order = a.order().stream().map(Cid::toString).toList();
    assertEquals(order, all);
    assertEquals(e4.cid().toString(), all.get(3));
    Heads afterOffers = new Heads(List.of(e2.cid().toString(), e3.cid().toString()));
    assertEquals(
        List.of(e4.cid().toString()), records.after(afterOffers).map(VerifiedEntry::cid).toList());
    EntryPage page = records.since(new Heads(List.of(e1.cid().toString())), 2);
    assertEquals(2, page.entries().size());
    assertTrue(page.more());
    assertEquals(afterOffers, page.after());
    assertEquals(
        List.of(e4.cid().toString()),
        records.since(page.after(), 10).entries().stream().map(VerifiedEntry::cid).toList());
    assertThrows(
        IllegalArgumentException.class,
        () -> records.after(new Heads(List.of(Cid.parse("bafkqaaa").toString()))));
  }
}
