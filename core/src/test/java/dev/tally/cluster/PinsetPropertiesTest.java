package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.Raw;
import dev.tally.log.Admission;
import dev.tally.log.Entry;
import dev.tally.log.JoinResult;
import dev.tally.log.Log;
import dev.tally.log.LogManifest;
import dev.tally.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Three members on three replicas write pins, unpins, updates, admissions, leaves, heartbeats,
 * states and audit failures on a few CIDs in a random interleaving with joins; each folds entries
 * as they reach it. Whatever the order, members holding the same entries hold the same pinset.
 */
class PinsetPropertiesTest {
  static final Ed25519PrivateKey[] KEYS = {Keys.key(1), Keys.key(2), Keys.key(3)};
  static final LogManifest MANIFEST =
      LogManifest.create(
          "cluster",
          1,
          List.of(KEYS[1].publicKey(), KEYS[2].publicKey()),
          0,
          List.of(KEYS[0].publicKey()));
  static final List<Cid> CIDS = new ArrayList<>();

  static {
    for (int i = 0; i < 4; i++) {
      CIDS.add(Block.create(Raw.CODE, ("c" + i).getBytes(StandardCharsets.UTF_8)).cid());
    }
  }

  /** Replica {@code at} writes record kind {@code kind} on CID {@code c}, or joins {@code from}. */
  record Op(int at, int from, int kind, int c) {}

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, CIDS.size() - 1))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(50);
  }

  /** A record by replica {@code at}; replica 0 is the admin, who admits and removes members. */
  static IpldNode record(int at, int kind, int c, int n) {
    Ed25519PublicKey other = Keys.key(10 + c).publicKey();
    if (kind == 6 && at == 0) {
      return n % 2 == 0 ? Admission.writerAdded(other) : Admission.writerRemoved(other);
    }
    return clusterRecord(kind, c, n).toNode();
  }

  static ClusterRecord clusterRecord(int kind, int c, int n) {
    Cid cid = CIDS.get(c);
    return switch (kind) {
      case 0, 1 -> PinRecord.of(cid, "p" + n, 1 + n % 2, 2 + n % 3);
      case 2 -> new UnpinRecord(cid);
      case 3 -> new UpdateRecord(cid, PinRecord.of(CIDS.get((c + 1) % CIDS.size()), "u" + n, 1, 2));
      case 4 -> new HeartbeatRecord(1000L + n, n * 1024L);
      case 5 -> new StateRecord(cid, n % 2 == 0 ? PinState.PINNED : PinState.FAILED, "e" + n);
      case 6 -> new LeaveRecord(PeerId.fromPublicKey(KEYS[c % 3].publicKey()));
      case 8 -> new AuditRecord(PeerId.fromPublicKey(KEYS[n % 3].publicKey()), cid, "r" + n);
      default ->
          new SettingsRecord(
              java.time.Duration.ofMillis(100 + n), java.time.Duration.ofMillis(1000 + n));
    };
  }

  record Replica(Log log, Pinset pinset) {}

  static Replica[] run(List<Op> ops) {
    Replica[] r = new Replica[3];
    for (int i = 0; i < 3; i++) {
      r[i] = new Replica(Log.create(MANIFEST, new MemoryBlockstore()), Pinset.of(MANIFEST));
    }
    int n = 0;
    for (Op op : ops) {
      Replica at = r[op.at()];
      if (op.from() == 3) {
        at.pinset().apply(at.log().append(record(op.at(), op.kind(), op.c(), n++), KEYS[op.at()]));
      } else if (op.from() != op.at()) {
        join(at, r[op.from()]);
      }
    }
    return r;
  }

  static void join(Replica into, Replica from) {
    JoinResult res = into.log().join(from.log().heads(), from.log().store()::get);
    for (Cid c : res.added()) {
      into.pinset().apply(into.log().get(c).orElseThrow());
    }
  }

  @Property(tries = 60)
  void membersHoldingTheSameEntriesHoldTheSamePinset(@ForAll("histories") List<Op> ops) {
    Replica[] r = run(ops);
    // Join around the ring twice: every replica then holds every entry.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 3; i++) {
        join(r[i], r[(i + 2) % 3]);
      }
    }
    assertEquals(r[0].log().heads(), r[1].log().heads());
    assertEquals(r[0].log().heads(), r[2].log().heads());
    assertEquals(r[0].pinset().snapshot(), r[1].pinset().snapshot());
    assertEquals(r[0].pinset().snapshot(), r[2].pinset().snapshot());
    for (Ed25519PrivateKey k : KEYS) {
      PeerId p = PeerId.fromPublicKey(k.publicKey());
      assertEquals(r[0].pinset().auditFailures(p), r[1].pinset().auditFailures(p));
      assertEquals(r[0].pinset().auditFailures(p), r[2].pinset().auditFailures(p));
    }
  }

  @Property(tries = 60)
  void anyOrderOfTheSameEntriesFoldsToTheSamePinset(
      @ForAll("histories") List<Op> ops, @ForAll long seed) {
    Replica[] r = run(ops);
    for (int i = 1; i < 3; i++) {
      join(r[0], r[i]);
    }
    List<Entry> entries = new ArrayList<>(r[0].log().traverse().toList());
    Pinset inOrder = Pinset.of(MANIFEST);
    for (int i = entries.size() - 1; i >= 0; i--) {
      inOrder.apply(entries.get(i)); // oldest first: the log's total order
    }
    Collections.shuffle(entries, new Random(seed));
    Pinset shuffled = Pinset.of(MANIFEST);
    shuffled.applyAll(entries);
    shuffled.applyAll(entries.subList(0, entries.size() / 2)); // re-applying changes nothing
    assertEquals(inOrder.snapshot(), shuffled.snapshot());
    assertEquals(inOrder.snapshot(), r[0].pinset().snapshot());
  }
}
