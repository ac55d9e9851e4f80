package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.ipld.Raw;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AllocatorPropertiesTest {
  private static final long GIB = 1L << 30;

  static List<Allocator.Candidate> members(int n, long free) {
    List<Allocator.Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Allocator.Candidate(PeerId.fromPublicKey(Keys.key(100 + i).publicKey()), free));
    }
    return out;
  }

  static List<PinRecord> pins(int n, int min, int max, long salt) {
    List<PinRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] data = ByteBuffer.allocate(16).putLong(salt).putLong(i).array();
      out.add(PinRecord.of(Block.create(Raw.CODE, data).cid(), "", min, max));
    }
    return out;
  }

  @Property(tries = 50)
  void everyPinGetsDistinctPeersWithinItsFactors(
      @ForAll @IntRange(min = 1, max = 12) int live,
      @ForAll @IntRange(min = 1, max = 5) int min,
      @ForAll @IntRange(min = 0, max = 4) int extra,
      @ForAll long salt) {
    List<Allocator.Candidate> members = members(live, 10 * GIB);
    for (PinRecord pin : pins(40, min, min + extra, salt)) {
      List<PeerId> peers = Allocator.allocate(pin, members);
      assertEquals(peers.size(), new HashSet<>(peers).size(), "distinct peers");
      assertTrue(peers.size() >= Math.min(min, live), "at least min(min, live members)");
      assertTrue(peers.size() <= pin.max(), "never more than max");
      assertEquals(Math.min(pin.max(), live), peers.size());
    }
  }

  @Property(tries = 50)
  void theSameInputsGiveTheSameAllocationInAnyOrder(
      @ForAll @IntRange(min = 1, max = 10) int live, @ForAll long salt) {
    List<Allocator.Candidate> members = members(live, 3 * GIB);
    List<Allocator.Candidate> shuffled = new ArrayList<>(members);
    Collections.shuffle(shuffled, new Random(salt));
    for (PinRecord pin : pins(30, 2, 3, salt)) {
      assertEquals(Allocator.allocate(pin, members), Allocator.allocate(pin, shuffled));
    }
  }

  @Property(tries = 50)
  void removingOneMemberMovesOnlyThatMembersPins(
      @ForAll @IntRange(min = 2, max = 10) int live,
      @ForAll @IntRange(min = 0, max = 9) int gone,
      @ForAll long salt) {
    List<Allocator.Candidate> members = members(live, 5 * GIB);
    Allocator.Candidate lost = members.get(gone % live);
    List<Allocator.Candidate> survivors = new ArrayList<>(members);
    survivors.remove(lost);
    for (PinRecord pin : pins(60, 2, 3, salt)) {
      List<PeerId> before = Allocator.allocate(pin, members);
      List<PeerId> after = Allocator.allocate(pin, survivors);
      if (before.contains(lost.peer())) {
        List<PeerId> kept = new ArrayList<>(before);
        kept.remove(lost.peer());
        assertTrue(after.containsAll(kept), "the other holders keep the pin");
        assertFalse(after.contains(lost.peer()));
      } else {
        assertEquals(before, after, "a pin the lost member did not hold does not move");
      }
      // The member comes back: every pin returns to where it was, held once, nothing extra.
      assertEquals(before, Allocator.allocate(pin, members));
    }
  }

  @Test
  void membersWinPinsInProportionToTheirWeight() {
    // Weights 1 + floor(log2(1 + GiB free)): 1 GiB free weighs 2, 7 GiB weighs 4, nothing free
    // weighs 1/1024. Rendezvous picks each member with probability weight / total.
    List<Allocator.Candidate> members = new ArrayList<>(members(1, GIB));
    members.addAll(members(2, 7 * GIB).subList(1, 2));
    Map<PeerId, Integer> wins = new HashMap<>();
    int n = 6000;
    for (PinRecord pin : pins(n, 1, 1, 42)) {
      wins.merge(Allocator.allocate(pin, members).get(0), 1, Integer::sum);
    }
    double share = wins.get(members.get(1).peer()) / (double) n;
    assertEquals(4.0 / 6.0, share, 0.03, "the 7 GiB member wins about 4/6 of the pins");
  }

  @Test
  void aFullMemberIsChosenOnlyWhenOthersRunOut() {
    List<Allocator.Candidate> members = new ArrayList<>(members(3, 10 * GIB));
    Allocator.Candidate full = members(4, 0).get(3);
    members.add(full);
    int chosenFirst = 0;
    for (PinRecord pin : pins(2000, 1, 3, 7)) {
      List<PeerId> peers = Allocator.allocate(pin, members);
      if (peers.get(0).equals(full.peer())) {
        chosenFirst++;
      }
    }
    assertTrue(chosenFirst < 5, "full member ranked first " + chosenFirst + " times in 2000");
    for (PinRecord pin : pins(50, 4, 4, 8)) {
      assertTrue(Allocator.allocate(pin, members).contains(full.peer()));
    }
  }

  @Test
  void smallChangesInFreeSpaceMoveNothing() {
    List<Allocator.Candidate> before = members(5, 10 * GIB);
    List<Allocator.Candidate> after = new ArrayList<>();
    for (Allocator.Candidate c : before) {
      after.add(new Allocator.Candidate(c.peer(), 10 * GIB - 300L * 1024 * 1024));
    }
    for (PinRecord pin : pins(200, 2, 3, 9)) {
      assertEquals(Allocator.allocate(pin, before), Allocator.allocate(pin, after));
    }
  }
}
