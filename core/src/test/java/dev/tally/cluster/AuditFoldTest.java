package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Audit failures in the fold: a failed pin moves off the peer on every member, enough failures take
 * it out of allocation altogether, and re-admission forgives — whatever order entries arrive.
 */
class AuditFoldTest {
  private final Ed25519PrivateKey admin = Keys.key(80);
  private final List<Ed25519PrivateKey> others = List.of(Keys.key(81), Keys.key(82), Keys.key(83));
  private final LogManifest manifest =
      LogManifest.create(
          "audited", 1, List.of(admin.publicKey()), 0, List.of(admin.publicKey()), true);
  private final Log log = Log.create(manifest, new MemoryBlockstore());
  private final Pinset pinset = Pinset.of(manifest);
  private final List<Entry> entries = new ArrayList<>();

  private static PeerId id(Ed25519PrivateKey k) {
    return PeerId.fromPublicKey(k.publicKey());
  }

  private Entry add(Entry e) {
    entries.add(e);
    pinset.apply(e);
    return e;
  }

  private Entry write(Ed25519PrivateKey by, ClusterRecord r) {
    return add(log.append(r.toNode(), by));
  }

  private List<Allocator.Candidate> everyoneLive() {
    for (Ed25519PrivateKey k : others) {
      if (!pinset.isMember(id(k))) {
        add(log.addWriter(k.publicKey(), admin));
      }
    }
    long now = 10_000;
    for (Ed25519PrivateKey k : others) {
      write(k, new HeartbeatRecord(now, 1L << 30));
    }
    write(admin, new HeartbeatRecord(now, 1L << 30));
    return Allocator.candidates(pinset, now, Duration.ofMinutes(2));
  }

  @Test
  void aFailedAuditMovesThatPinOffThePeerAndNothingElse() {
    List<Allocator.Candidate> live = everyoneLive();
    assertEquals(4, live.size());
    List<Cid> cids = PinsetPropertiesTest.CIDS;
    for (Cid c : cids) {
      write(admin, PinRecord.of(c, "", 2, 2));
    }
    Cid x = cids.get(0);
    PeerId holder = Allocator.allocate(pinset, pinset.pin(x).orElseThrow(), live).get(0);
    Ed25519PrivateKey auditor = holder.equals(id(others.get(0))) ? others.get(1) : others.get(0);
    Map<Cid, List<PeerId>> before = Allocator.allocateAll(pinset, 10_000, Duration.ofMinutes(2));

    write(auditor, new AuditRecord(holder, x, "missing block"));
    live = Allocator.candidates(pinset, 10_000, Duration.ofMinutes(2));
    assertEquals(4, live.size(), "one strike of three: still a candidate");
    List<PeerId> after = Allocator.allocate(pinset, pinset.pin(x).orElseThrow(), live);
    assertFalse(after.contains(holder));
    assertEquals(2, after.size());
    for (Cid c : cids.subList(1, cids.size())) {
      assertEquals(
          before.get(c), Allocator.allocate(pinset, pinset.pin(c).orElseThrow(), live), "" + c);
    }
  }

  @Test
  void aPeerThatFailsAuditsOfStrikesPinsHoldsNothingUntilReadmitted() {
    everyoneLive();
    Ed25519PrivateKey cheat = others.get(2);
    for (int i = 0; i < 3; i++) {
      write(others.get(i % 2), new AuditRecord(id(cheat), PinsetPropertiesTest.CIDS.get(i), "x"));
      assertEquals(i == 2, pinset.struckOut(id(cheat)), "after " + (i + 1) + " strikes");
    }
    assertFalse(
        Allocator.candidates(pinset, 10_000, Duration.ofMinutes(2)).stream()
            .anyMatch(c -> c.peer().equals(id(cheat))));

    // A cluster that tolerates more strikes takes it back; so does re-admission.
    write(admin, new SettingsRecord(Duration.ofSeconds(30), Duration.ofMinutes(2)).withStrikes(4));
    assertFalse(pinset.struckOut(id(cheat)));
    write(admin, new SettingsRecord(Duration.ofSeconds(30), Duration.ofMinutes(2)));
    assertTrue(pinset.struckOut(id(cheat)));
    add(log.removeWriter(cheat.publicKey(), others.get(0)));
    add(log.addWriter(cheat.publicKey(), others.get(1)));
    assertFalse(pinset.struckOut(id(cheat)));
    assertEquals(Map.of(), pinset.auditFailures(id(cheat)));
    assertFalse(pinset.failedAudit(id(cheat), PinsetPropertiesTest.CIDS.get(0)));
  }

  @Test
  void aPeerCannotAuditItselfAndEveryOrderFoldsAlike() {
    everyoneLive();
    Ed25519PrivateKey a = others.get(0);
    write(a, new AuditRecord(id(a), PinsetPropertiesTest.CIDS.get(0), "self"));
    assertEquals(Map.of(), pinset.auditFailures(id(a)), "an audit of oneself is ignored");
    write(others.get(1), new AuditRecord(id(a), PinsetPropertiesTest.CIDS.get(1), "y"));
    add(log.removeWriter(a.publicKey(), admin));
    add(log.addWriter(a.publicKey(), admin));
    write(others.get(2), new AuditRecord(id(a), PinsetPropertiesTest.CIDS.get(2), "z"));

    for (long seed = 0; seed < 20; seed++) {
      List<Entry> shuffled = new ArrayList<>(entries);
      Collections.shuffle(shuffled, new Random(seed));
      Pinset other = Pinset.of(manifest);
      other.applyAll(shuffled);
      other.applyAll(shuffled.subList(0, shuffled.size() / 2)); // re-applied: no effect
      assertEquals(pinset.snapshot(), other.snapshot());
      assertEquals(Set.of(PinsetPropertiesTest.CIDS.get(2)), other.auditFailures(id(a)).keySet());
    }
  }
}
