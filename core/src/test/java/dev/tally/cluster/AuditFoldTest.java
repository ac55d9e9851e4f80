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
import java.util.Optional;
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
    assertEquals(
        before.get(x),
        Allocator.allocate(pinset, pinset.pin(x).orElseThrow(), live),
        "one member's unproved failure moves nothing (ADR 026)");
    Ed25519PrivateKey second =
        others.stream()
            .filter(k -> !id(k).equals(holder) && k != auditor)
            .findFirst()
            .orElseThrow();
    write(second, new AuditRecord(holder, x, "missing block"));
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
      // Two members log each failure: the default confirmations.
      write(others.get(0), new AuditRecord(id(cheat), PinsetPropertiesTest.CIDS.get(i), "x"));
      write(others.get(1), new AuditRecord(id(cheat), PinsetPropertiesTest.CIDS.get(i), "x"));
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
    write(admin, new AuditRecord(id(a), PinsetPropertiesTest.CIDS.get(2), "z"));

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

  /** {@code prover}'s signed answer about {@code block} of {@code pin}, as its auditor signs. */
  private AuditEvidence signed(
      Ed25519PrivateKey prover, Cid pin, Cid block, String answer, byte[] digest) {
    Cid member = pinset.admittedBy(id(prover));
    byte[] nonce = new byte[0];
    byte[] sig =
        prover.sign(
            AuditEvidence.statement(manifest.cid(), pin, block, nonce, answer, digest, member));
    return new AuditEvidence(block, nonce, answer, digest, member, sig);
  }

  @Test
  void aFalseFailureByOneMemberMovesNothingAndAsksTheOthersToConfirm() {
    List<Allocator.Candidate> live = everyoneLive();
    Cid x = PinsetPropertiesTest.CIDS.get(0);
    write(admin, PinRecord.of(x, "", 2, 2));
    List<PeerId> before = Allocator.allocate(pinset, pinset.pin(x).orElseThrow(), live);
    PeerId honest = before.get(0);
    Ed25519PrivateKey liar =
        others.stream().filter(k -> !before.contains(id(k))).findFirst().orElseThrow();

    // Without evidence, with evidence the liar signed itself, with the honest peer's genuine
    // signature over a block that is right: none counts.
    write(liar, new AuditRecord(honest, x, "no answer in time"));
    assertFalse(pinset.failedAudit(honest, x));
    byte[] forgedSig = liar.sign(new byte[] {1});
    write(
        liar,
        new AuditRecord(
            honest,
            x,
            "wrong bytes",
            Optional.of(
                new AuditEvidence(
                    x,
                    new byte[0],
                    AuditEvidence.BLOCK,
                    new byte[32],
                    pinset.admittedBy(honest),
                    java.util.Arrays.copyOf(forgedSig, 64)))));
    assertFalse(pinset.failedAudit(honest, x));
    assertEquals(Map.of(), pinset.auditFailures(honest));
    assertEquals(
        before,
        Allocator.allocate(
            pinset, pinset.pin(x).orElseThrow(), Allocator.candidates(pinset, 10_000, MIN2)));
    // Every other member is asked to audit the pair itself; the liar and the accused are not.
    for (Ed25519PrivateKey k : others) {
      List<Map.Entry<PeerId, Cid>> todo = pinset.unconfirmedFailures(id(k));
      boolean asked = !id(k).equals(honest) && k != liar;
      assertEquals(asked ? List.of(Map.entry(honest, x)) : List.of(), todo, "for " + id(k));
    }
  }

  private static final Duration MIN2 = Duration.ofMinutes(2);

  @Test
  void aSignedWrongAnswerProvesTheFailureAloneUntilThePeerIsAdmittedAgain() throws Exception {
    everyoneLive();
    Ed25519PrivateKey cheat = others.get(2);
    Cid root = PinsetPropertiesTest.CIDS.get(0);
    Cid leaf = PinsetPropertiesTest.CIDS.get(1);
    write(admin, PinRecord.of(root, "", 2, 2));
    // Bytes that are not the block: their SHA-256 differs from the CID's digest.
    byte[] wrong = java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {7});
    AuditEvidence wrongBytes = signed(cheat, root, leaf, AuditEvidence.BLOCK, wrong);
    assertTrue(
        wrongBytes.provesFailure(id(cheat), manifest.cid(), root, pinset.admittedBy(id(cheat))));
    write(others.get(0), new AuditRecord(id(cheat), root, "wrong bytes", Optional.of(wrongBytes)));
    assertTrue(pinset.failedAudit(id(cheat), root), "one member with signed wrong bytes suffices");

    // A signed "missing" proves a failure for the pin's root only; a signed proof never alone.
    Cid other = PinsetPropertiesTest.CIDS.get(2);
    write(admin, PinRecord.of(other, "", 2, 2));
    write(
        others.get(0),
        new AuditRecord(
            id(cheat),
            other,
            "missing",
            Optional.of(signed(cheat, other, leaf, AuditEvidence.MISSING, new byte[0]))));
    write(
        others.get(0),
        new AuditRecord(
            id(cheat),
            other,
            "wrong proof",
            Optional.of(signed(cheat, other, other, AuditEvidence.PROOF, new byte[32]))));
    assertFalse(pinset.failedAudit(id(cheat), other));
    write(
        others.get(1),
        new AuditRecord(
            id(cheat),
            other,
            "missing root",
            Optional.of(signed(cheat, other, other, AuditEvidence.MISSING, new byte[0]))));
    assertTrue(pinset.failedAudit(id(cheat), other));

    // Admitted again, the same evidence replayed by one member no longer counts.
    add(log.removeWriter(cheat.publicKey(), admin));
    add(log.addWriter(cheat.publicKey(), admin));
    write(others.get(1), new AuditRecord(id(cheat), root, "replayed", Optional.of(wrongBytes)));
    assertFalse(pinset.failedAudit(id(cheat), root));
    assertEquals(Map.of(), pinset.auditFailures(id(cheat)));
  }
}
