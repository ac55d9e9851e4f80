package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A peer offers a mix of valid entries and every kind of hostile one; the valid ones are stored,
 * each hostile one is rejected with its kind and never reaches the blockstore.
 */
class HostileJoinTest {
  private final Ed25519PrivateKey alice = Forge.key(1);
  private final Ed25519PrivateKey bob = Forge.key(2);
  private final Ed25519PrivateKey mallory = Forge.key(66);
  private final LogManifest manifest =
      LogManifest.create("loans", 1, List.of(alice.publicKey(), bob.publicKey()), 0, List.of());

  @Test
  void rejectsAndCountsHostileEntriesWhileKeepingValidOnes() {
    MemoryBlockstore honestStore = new MemoryBlockstore();
    Log honest = Log.create(manifest, honestStore);
    for (int i = 0; i < 12; i++) {
      honest.append(Forge.record("ok" + i), i % 2 == 0 ? alice : bob);
    }
    Cid head = honest.heads().get(0);
    // A linear chain: the entry after position 11 skips to positions 10, 8 and 4.
    List<Cid> order = honest.order();
    List<Cid> refsAfterHead = List.of(order.get(10), order.get(8), order.get(4));
    List<Cid> headNext = List.of(head);
    Map<Cid, Block> offered = new HashMap<>();
    Map<Kind, Cid> hostile = new EnumMap<>(Kind.class);

    hostile.put(
        Kind.NOT_A_WRITER,
        offer(
            offered, Forge.signed(manifest.cid(), 13, headNext, refsAfterHead, rec("m"), mallory)));
    IpldMap u =
        Forge.unsigned(
            manifest.cid(), 13, headNext, refsAfterHead, rec("forged"), alice.publicKey().raw());
    byte[] sig = mallory.sign(DagCbor.encode(u));
    hostile.put(
        Kind.BAD_SIGNATURE,
        offer(offered, Block.create(DagCbor.CODE, DagCbor.encode(Forge.withSig(u, sig)))));
    Block dangling =
        Forge.signed(manifest.cid(), 2, List.of(missingCid()), List.of(), rec("d"), bob);
    hostile.put(Kind.DANGLING_LINK, offer(offered, dangling));
    hostile.put(
        Kind.BAD_CLOCK,
        offer(
            offered,
            Forge.signed(manifest.cid(), 1L << 62, headNext, refsAfterHead, rec("c"), bob)));
    hostile.put(
        Kind.TOO_LARGE,
        offer(
            offered,
            Forge.signed(
                manifest.cid(),
                13,
                headNext,
                refsAfterHead,
                IpldNode.of(new byte[Entry.MAX_SIZE]),
                alice)));
    Block good = Forge.signed(manifest.cid(), 13, headNext, refsAfterHead, rec("n"), alice);
    String hex = HexFormat.of().formatHex(good.bytes());
    Block bent =
        Block.create(DagCbor.CODE, HexFormat.of().parseHex(hex.replaceFirst("617601", "61761801")));
    hostile.put(Kind.NON_CANONICAL, offer(offered, bent));
    hostile.put(
        Kind.BAD_REFS,
        offer(offered, Forge.signed(manifest.cid(), 13, headNext, List.of(), rec("r"), alice)));
    // A record modified after signing, offered under the original entry's CID.
    Block original = Forge.signed(manifest.cid(), 13, headNext, refsAfterHead, rec("pay 100"), bob);
    Block altered = Forge.signed(manifest.cid(), 13, headNext, refsAfterHead, rec("pay 900"), bob);
    offered.put(original.cid(), Block.of(original.cid(), altered.bytes()));
    hostile.put(Kind.BAD_HASH, original.cid());
    // A valid entry from another writer that the honest peer does not have yet.
    Block valid = Forge.signed(manifest.cid(), 13, headNext, refsAfterHead, rec("fine"), bob);
    offer(offered, valid);
    // A valid-looking child of a rejected entry is rejected too: its link cannot resolve.
    Block orphan =
        Forge.signed(
            manifest.cid(),
            14,
            List.of(hostile.get(Kind.NOT_A_WRITER)),
            List.of(),
            rec("o"),
            alice);
    offer(offered, orphan);

    MemoryBlockstore replicaStore = new MemoryBlockstore();
    Log replica = Log.create(manifest, replicaStore);
    List<Cid> remoteHeads = new ArrayList<>(hostile.values());
    remoteHeads.add(valid.cid());
    remoteHeads.add(orphan.cid());
    EntrySource source =
        cid -> {
          Block b = offered.get(cid);
          return b != null ? Optional.of(b) : honestStore.get(cid);
        };
    JoinResult r = replica.join(remoteHeads, source);

    assertEquals(13, r.added().size());
    assertEquals(List.of(valid.cid()), replica.heads());
    Map<Cid, Kind> rejected = new HashMap<>();
    r.rejected().forEach(e -> rejected.put(e.cid(), e.kind()));
    hostile.forEach((kind, cid) -> assertEquals(kind, rejected.get(cid), kind.name()));
    assertEquals(Kind.DANGLING_LINK, rejected.get(orphan.cid()));
    assertEquals(hostile.size() + 1, r.rejected().size());
    for (Cid bad : rejected.keySet()) {
      assertFalse(replicaStore.has(bad), "stored a rejected entry " + bad);
      assertFalse(replica.contains(bad));
    }
    assertTrue(replica.verify().ok());
    assertEquals(13, replica.verify().count());
  }

  @Test
  void rejectsAnEntryOfAnotherLog() {
    LogManifest other = LogManifest.create("other", 1, List.of(alice.publicKey()), 0, List.of());
    Block foreign = Forge.signed(other.cid(), 1, List.of(), List.of(), rec("x"), alice);
    Log log = Log.create(manifest, new MemoryBlockstore());
    JoinResult r = log.join(List.of(foreign.cid()), cid -> Optional.of(foreign));
    assertEquals(Kind.WRONG_LOG, r.rejected().get(0).kind());
    assertEquals(0, log.size());
  }

  @Test
  void joinIsIdempotent() {
    MemoryBlockstore store = new MemoryBlockstore();
    Log a = Log.create(manifest, store);
    a.append(rec("1"), alice);
    a.append(rec("2"), bob);
    Log b = Log.create(manifest, new MemoryBlockstore());
    assertEquals(2, b.join(a.heads(), store::get).added().size());
    JoinResult again = b.join(a.heads(), store::get);
    assertEquals(List.of(), again.added());
    assertEquals(a.heads(), again.heads());
  }

  private static Cid offer(Map<Cid, Block> offered, Block b) {
    offered.put(b.cid(), b);
    return b.cid();
  }

  private static Cid missingCid() {
    return Block.create(DagCbor.CODE, DagCbor.encode(IpldNode.of("never stored"))).cid();
  }

  private static IpldNode rec(String text) {
    return Forge.record(text);
  }
}
