package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.crypto.PeerId;
import dev.tally.ipld.IpldNode;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PinsetTest {
  private final Log a = Log.create(PinsetPropertiesTest.MANIFEST, new MemoryBlockstore());
  private final Log b = Log.create(PinsetPropertiesTest.MANIFEST, new MemoryBlockstore());
  private final Pinset pinset = Pinset.of(PinsetPropertiesTest.MANIFEST);
  private static final Cid X = PinsetPropertiesTest.CIDS.get(0);
  private static final Cid Y = PinsetPropertiesTest.CIDS.get(1);

  private Entry append(Log log, int key, ClusterRecord r) {
    Entry e = log.append(r.toNode(), PinsetPropertiesTest.KEYS[key]);
    pinset.apply(e);
    return e;
  }

  @Test
  void foundersAreTheManifestWritersAndAdmins() {
    assertEquals(3, pinset.members().size());
    for (var k : PinsetPropertiesTest.KEYS) {
      assertTrue(pinset.isMember(PeerId.fromPublicKey(k.publicKey())));
    }
  }

  @Test
  void laterUnpinRemovesAndLaterPinRestores() {
    append(a, 0, PinRecord.of(X, "x", 2, 3));
    assertEquals(List.of(X), List.copyOf(pinset.pins().keySet()));
    append(a, 0, new UnpinRecord(X));
    assertTrue(pinset.pins().isEmpty());
    append(a, 1, PinRecord.of(X, "again", 1, 1));
    assertEquals("again", pinset.pin(X).orElseThrow().name());
  }

  @Test
  void updateMovesThePinToTheNewCid() {
    append(a, 0, PinRecord.of(X, "v1", 2, 3));
    append(a, 0, new UpdateRecord(X, PinRecord.of(Y, "v1", 2, 3)));
    assertEquals(List.of(Y), List.copyOf(pinset.pins().keySet()));
  }

  @Test
  void concurrentPinAndUnpinResolveByTheTotalOrderOnEveryMember() {
    // Same Lamport time on two replicas: the author key bytes decide, the same way everywhere.
    Entry pin = append(a, 0, PinRecord.of(X, "x", 1, 1));
    Entry unpin = append(b, 1, new UnpinRecord(X));
    assertEquals(pin.time(), unpin.time());
    boolean unpinWins = java.util.Arrays.compareUnsigned(unpin.author(), pin.author()) > 0;
    assertEquals(!unpinWins, pinset.pin(X).isPresent());
    Pinset other = Pinset.of(PinsetPropertiesTest.MANIFEST);
    other.apply(unpin);
    other.apply(pin);
    assertEquals(pinset.snapshot(), other.snapshot());
  }

  @Test
  void expiredPinsAreNotInForce() {
    append(a, 0, new PinRecord(X, "", 1, 1, Optional.of(5_000L), new TreeMap<>()));
    assertEquals(1, pinset.pins(4_999).size());
    assertTrue(pinset.pins(5_000).isEmpty());
  }

  @Test
  void admitAndLeaveChangeTheMembers() {
    PeerId newcomer = PeerId.fromPublicKey(Keys.key(50).publicKey());
    pinset.apply(a.addWriter(Keys.key(50).publicKey(), PinsetPropertiesTest.KEYS[0]));
    assertTrue(pinset.isMember(newcomer));
    PeerId founder = PeerId.fromPublicKey(PinsetPropertiesTest.KEYS[2].publicKey());
    append(a, 2, new LeaveRecord(founder));
    assertFalse(pinset.isMember(founder));
    assertEquals(3, pinset.members().size());
    pinset.apply(a.removeWriter(Keys.key(50).publicKey(), PinsetPropertiesTest.KEYS[0]));
    assertFalse(pinset.isMember(newcomer));
  }

  @Test
  void aRecordThatIsNotAClusterRecordIsCountedAndIgnored() {
    Entry e =
        a.append(IpldNode.map().put("type", "LoanRequested").build(), PinsetPropertiesTest.KEYS[0]);
    pinset.apply(e);
    assertEquals(1, pinset.malformed());
    assertTrue(pinset.pins().isEmpty());
  }
}
