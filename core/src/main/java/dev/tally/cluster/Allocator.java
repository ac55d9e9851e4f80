package dev.tally.cluster;

import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The allocation rule every member computes the same way (ADR 008): weighted rendezvous hashing.
 * Each live member scores each pin by {@code weight / -ln(u)}, {@code u} uniform in (0, 1) from
 * SHA-256(CID bytes ‖ peer id bytes); a pin goes to the {@code min(max, live)} highest scorers.
 * Removing a member moves only the pins it held; adding one takes only the pins it now wins.
 * Weights are free space on a log₂ scale, so small changes in free space move nothing.
 */
public final class Allocator {
  /** A live member that can take pins, with the free space it last announced. */
  public record Candidate(PeerId peer, long free) {
    public Candidate {
      Objects.requireNonNull(peer, "peer");
      if (free < 0) {
        throw new ClusterException("free space must be >= 0, got " + free);
      }
    }
  }

  private static final long GIB = 1L << 30;

  private Allocator() {}

  /**
   * The members {@code pin} is allocated to, best first: the {@code min(pin.max, candidates)}
   * distinct candidates with the highest scores. Fewer than {@code pin.min} means the cluster has
   * too few live members to reach the pin's minimum.
   */
  public static List<PeerId> allocate(PinRecord pin, Collection<Candidate> candidates) {
    int k = Math.min(pin.max(), candidates.size());
    byte[] cid = pin.cid().bytes();
    record Scored(PeerId peer, double score) {}
    List<Scored> scored = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      scored.add(new Scored(c.peer(), score(cid, c.peer(), weight(c.free()))));
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::peer));
    List<PeerId> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      out.add(scored.get(i).peer());
    }
    return out;
  }

  /**
   * The members {@code pin} is allocated to in {@code pinset}: {@link #allocate(PinRecord,
   * Collection)} over the candidates that did not fail an audit of it (ADR 021).
   */
  public static List<PeerId> allocate(
      Pinset pinset, PinRecord pin, Collection<Candidate> candidates) {
    List<Candidate> eligible = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      if (!pinset.failedAudit(c.peer(), pin.cid())) {
        eligible.add(c);
      }
    }
    return allocate(pin, eligible);
  }

  /** Every pin in force at {@code nowMillis} with the members it is allocated to. */
  public static SortedMap<Cid, List<PeerId>> allocateAll(
      Pinset pinset, long nowMillis, Duration downAfter) {
    List<Candidate> live = candidates(pinset, nowMillis, downAfter);
    SortedMap<Cid, List<PeerId>> out = new TreeMap<>();
    for (PinRecord pin : pinset.pins(nowMillis).values()) {
      out.put(pin.cid(), allocate(pinset, pin, live));
    }
    return out;
  }

  /**
   * The members that can take pins at {@code nowMillis}: those whose latest heartbeat is at most
   * {@code downAfter} old and that have not struck out by failed audits. A member that never sent a
   * heartbeat is not live: nobody knows it runs.
   */
  public static List<Candidate> candidates(Pinset pinset, long nowMillis, Duration downAfter) {
    Map<PeerId, HeartbeatRecord> beats = pinset.heartbeats();
    List<Candidate> out = new ArrayList<>();
    for (PeerId member : pinset.members()) {
      HeartbeatRecord h = beats.get(member);
      if (h != null && nowMillis - h.at() <= downAfter.toMillis() && !pinset.struckOut(member)) {
        out.add(new Candidate(member, h.free()));
      }
    }
    return out;
  }

  /**
   * A member's weight: 1 + ⌊log₂(1 + free GiB)⌋, so a member with 1 TiB free weighs 11 and one with
   * 1 GiB weighs 2; a full member (nothing free) weighs 1/1024 and is chosen only when too few
   * others are live.
   */
  static double weight(long free) {
    if (free == 0) {
      return 1.0 / 1024;
    }
    long gib = free / GIB;
    return 1 + (63 - Long.numberOfLeadingZeros(gib + 1));
  }

  /**
   * The weighted rendezvous score: with {@code u} uniform in (0, 1), {@code -ln(u) / w} is
   * exponentially distributed with rate {@code w}, and the member with the smallest such value —
   * the greatest {@code w / -ln(u)} — wins with probability proportional to {@code w}. {@link
   * StrictMath} gives the same bits on every JVM, so every member ranks alike.
   */
  static double score(byte[] cid, PeerId peer, double weight) {
    MessageDigest sha = sha256();
    sha.update(cid);
    sha.update(peer.bytes());
    byte[] h = sha.digest();
    long x = 0;
    for (int i = 0; i < 8; i++) {
      x = (x << 8) | (h[i] & 0xff);
    }
    double u = ((x >>> 11) + 0.5) / (double) (1L << 53);
    return weight / -StrictMath.log(u);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
