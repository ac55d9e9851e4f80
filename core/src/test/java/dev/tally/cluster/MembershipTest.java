package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.crypto.PeerId;
import dev.tally.log.Log;
import dev.tally.log.LogException;
import dev.tally.log.LogManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Members admit and remove members by signed entries: in a cluster whose manifest lets writers
 * admit, any member admits the next; removal cuts the member off the log; the creator can only
 * leave. Every replica's fold agrees.
 */
class MembershipTest {
  private final List<Cluster> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Cluster::close);
  }

  private final Ed25519PrivateKey creator = Keys.key(70);
  private final Ed25519PrivateKey bob = Keys.key(71);
  private final Ed25519PrivateKey carol = Keys.key(72);
  private final Ed25519PrivateKey dave = Keys.key(73);

  private static PeerId id(Ed25519PrivateKey k) {
    return PeerId.fromPublicKey(k.publicKey());
  }

  private Cluster member(LogManifest manifest, Ed25519PrivateKey key, Cluster from) {
    Log log = Log.create(manifest, new MemoryBlockstore());
    if (from != null) {
      log.join(from.log().heads(), from.log().store()::get);
    }
    Cluster c =
        Cluster.open(log, key, new NoPins(), ClusterOptions.defaults(), () -> 1_000L, l -> {});
    open.add(c);
    return c;
  }

  private static void sync(Cluster to, Cluster from) {
    to.join(from.log().heads(), from.log().store()::get);
  }

  private LogManifest manifest(boolean writersAdmit) {
    return LogManifest.create(
        "team", 1, List.of(creator.publicKey()), 0, List.of(creator.publicKey()), writersAdmit);
  }

  @Test
  void aMemberWhoIsNotTheCreatorAdmitsANewMemberWhomEveryReplicaCounts() {
    LogManifest m = manifest(true);
    Cluster a = member(m, creator, null);
    a.admit(id(bob));
    Cluster b = member(m, bob, a);
    b.admit(id(carol)); // bob is no admin of the log
    Cluster c = member(m, carol, b);
    c.pin(PinRecord.of(PinsetPropertiesTest.CIDS.get(0), "by carol", 1, 1));
    sync(a, c);
    for (Cluster x : List.of(a, b, c)) {
      sync(x, c);
      assertEquals(Set.of(id(creator), id(bob), id(carol)), x.pinset().members());
    }
    assertEquals(1, a.pinset().pins().size(), "the newcomer's pin reached the creator");
    ClusterException again = assertThrows(ClusterException.class, () -> b.admit(id(carol)));
    assertTrue(again.getMessage().contains("already a member"), again.getMessage());
  }

  @Test
  void aRemovedMemberLosesItsPlaceAndCannotWriteOrAdmitAnyMore() {
    LogManifest m = manifest(true);
    Cluster a = member(m, creator, null);
    a.admit(id(bob));
    a.admit(id(carol));
    Cluster b = member(m, bob, a);
    Cluster c = member(m, carol, a);
    b.remove(id(carol));
    sync(a, b);
    sync(c, b);
    for (Cluster x : List.of(a, b, c)) {
      assertFalse(x.pinset().isMember(id(carol)));
    }
    ClusterException notMember = assertThrows(ClusterException.class, () -> c.admit(id(dave)));
    assertTrue(notMember.getMessage().contains("not a member"), notMember.getMessage());
    assertThrows(
        LogException.class,
        () ->
            c.log()
                .append(PinRecord.of(PinsetPropertiesTest.CIDS.get(1), "", 1, 1).toNode(), carol),
        "the log refuses what a removed member writes after its removal");

    // Any member may take it back; the creator's manifest place cannot be removed.
    a.admit(id(carol));
    sync(b, a);
    assertTrue(b.pinset().isMember(id(carol)));
    ClusterException creatorStays =
        assertThrows(ClusterException.class, () -> b.remove(id(creator)));
    assertTrue(creatorStays.getMessage().contains("can only leave"), creatorStays.getMessage());
    ClusterException self = assertThrows(ClusterException.class, () -> b.remove(id(bob)));
    assertTrue(self.getMessage().contains("leave"), self.getMessage());
  }

  @Test
  void aForgedRemovalOfTheCreatorIsIgnoredButTheCreatorCanLeave() {
    LogManifest m = manifest(true);
    Cluster a = member(m, creator, null);
    a.admit(id(bob));
    Cluster b = member(m, bob, a);
    // Bob writes the removal himself, past Cluster.remove's refusal: the log takes it (bob may
    // admit), but the creator's right comes from the manifest, so no fold drops it.
    b.pinset().apply(b.log().removeWriter(creator.publicKey(), bob));
    sync(a, b);
    assertTrue(a.pinset().isMember(id(creator)));
    assertTrue(b.pinset().isMember(id(creator)));

    a.leave();
    sync(b, a);
    assertFalse(b.pinset().isMember(id(creator)));
    assertEquals(Set.of(id(bob)), b.pinset().members());
  }

  @Test
  void inAClusterWithoutMemberAdmissionOnlyTheCreatorAdmits() {
    LogManifest m = manifest(false);
    Cluster a = member(m, creator, null);
    a.admit(id(bob));
    Cluster b = member(m, bob, a);
    ClusterException e = assertThrows(ClusterException.class, () -> b.admit(id(carol)));
    assertTrue(e.getMessage().contains("only the creator"), e.getMessage());
    b.leave(); // a LeaveRecord: bob may not sign admissions here
    sync(a, b);
    assertFalse(a.pinset().isMember(id(bob)));
  }
}
