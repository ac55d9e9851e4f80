package dev.tally.pinning;

import dev.tally.cluster.Cluster;
import dev.tally.cluster.ClusterException;
import dev.tally.cluster.PeerStatus;
import dev.tally.cluster.PinRecord;
import dev.tally.cluster.PinState;
import dev.tally.crypto.PeerId;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins through the cluster this node is a member of (ADR 022): each wanted CID is one pin in the
 * replicated pinset, whatever number of users and requests want it. The pin's metadata carries a
 * claim {@code psa:<peer id>} of every member whose pinning service wants it, and {@code pinned-by:
 * tally-pinning-service} when a pinning service created it; a service adds and removes only its own
 * claim, and unpins only a pin a pinning service created once no claim is left, so a pin added by
 * hand ({@code tally cluster pin add}) or wanted by another member's users stays. A CID is pinned
 * when at least {@code min} of its allocated peers report it pinned. Only the service's thread
 * calls this.
 */
final class ClusterBackend implements PinBackend {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBackend.class);

  static final String CREATOR = "pinned-by";
  static final String CREATOR_VALUE = "tally-pinning-service";
  static final String CLAIM_PREFIX = "psa:";

  private final Supplier<Optional<Cluster>> cluster;
  private final Supplier<List<String>> selfAddresses;
  private final Function<PeerId, List<String>> peerAddresses;
  private Optional<Cid> scannedCluster = Optional.empty();
  private final Set<Cid> claimed = new HashSet<>();

  /**
   * @param cluster the cluster this node is a member of now, if any
   * @param selfAddresses this node's multiaddrs with {@code /p2p/}
   * @param peerAddresses the known multiaddrs (with {@code /p2p/}) of another member
   */
  ClusterBackend(
      Supplier<Optional<Cluster>> cluster,
      Supplier<List<String>> selfAddresses,
      Function<PeerId, List<String>> peerAddresses) {
    this.cluster = cluster;
    this.selfAddresses = selfAddresses;
    this.peerAddresses = peerAddresses;
  }

  boolean available() {
    return cluster.get().isPresent();
  }

  private static String claim(Cluster c) {
    return CLAIM_PREFIX + c.self();
  }

  /** The CIDs this service claims in {@code c}, read from its pinset once per cluster. */
  private Set<Cid> claimed(Cluster c) {
    if (!scannedCluster.equals(Optional.of(c.id()))) {
      claimed.clear();
      String mine = claim(c);
      for (PinRecord p : c.pinset().pins().values()) {
        if (p.meta().containsKey(mine)) {
          claimed.add(p.cid());
        }
      }
      scannedCluster = Optional.of(c.id());
    }
    return claimed;
  }

  @Override
  public Map<Cid, Progress> reconcile(Map<Cid, Want> wanted) {
    Optional<Cluster> current = cluster.get();
    Map<Cid, Progress> out = new HashMap<>();
    if (current.isEmpty()) {
      Progress waiting =
          new Progress(
              PinRequest.Status.QUEUED,
              "waiting for this node to join a cluster (PinningService.Backend is \"cluster\")");
      wanted.keySet().forEach(c -> out.put(c, waiting));
      return out;
    }
    Cluster c = current.get();
    Set<Cid> mine = claimed(c);
    long now = System.currentTimeMillis();
    for (Want w : wanted.values()) {
      Optional<PinRecord> held = c.pinset().pin(w.cid()).filter(p -> !p.expiredAt(now));
      try {
        PinRecord desired = desired(c, held, w);
        if (held.isEmpty() || !held.get().equals(desired)) {
          c.pin(desired);
        }
        mine.add(w.cid());
        out.put(
            w.cid(),
            w.pending()
                ? progress(c, w.cid(), desired.min())
                : new Progress(PinRequest.Status.PINNED, ""));
      } catch (ClusterException e) {
        out.put(w.cid(), new Progress(PinRequest.Status.FAILED, e.getMessage()));
      }
    }
    release(c, wanted.keySet());
    return out;
  }

  @Override
  public void retain(Set<Cid> keep) {
    cluster.get().ifPresent(c -> release(c, keep));
  }

  @Override
  public void retry(Collection<Cid> cids) {
    cluster.get().ifPresent(c -> cids.forEach(c::recover));
  }

  /**
   * The pin the cluster should hold for {@code w}: a new one made by the service, or the one it
   * holds with this service's claim added. Alone on a pin it made, the service sets its factors; on
   * a shared one it only raises them, never lowering what another claimant may need.
   */
  private static PinRecord desired(Cluster c, Optional<PinRecord> held, Want w) {
    SortedMap<String, String> meta = new TreeMap<>();
    if (held.isEmpty()) {
      meta.put(CREATOR, CREATOR_VALUE);
      meta.put(claim(c), "1");
      return new PinRecord(w.cid(), w.name(), w.min(), w.max(), Optional.empty(), meta);
    }
    PinRecord p = held.get();
    meta.putAll(p.meta());
    meta.put(claim(c), "1");
    boolean alone = CREATOR_VALUE.equals(meta.get(CREATOR)) && otherClaims(c, meta) == 0;
    int min = alone ? w.min() : Math.max(p.min(), w.min());
    int max = alone ? w.max() : Math.max(p.max(), w.max());
    return new PinRecord(p.cid(), p.name(), min, max, p.expires(), meta);
  }

  private static long otherClaims(Cluster c, Map<String, String> meta) {
    String mine = claim(c);
    return meta.keySet().stream()
        .filter(k -> k.startsWith(CLAIM_PREFIX) && !k.equals(mine))
        .count();
  }

  /** Removes this service's claim from the pins it no longer wants (unpinning its own). */
  private void release(Cluster c, Set<Cid> keep) {
    Set<Cid> mine = claimed(c);
    String claim = claim(c);
    for (Cid cid : List.copyOf(mine)) {
      if (keep.contains(cid)) {
        continue;
      }
      Optional<PinRecord> held = c.pinset().pin(cid);
      try {
        if (held.isPresent() && held.get().meta().containsKey(claim)) {
          PinRecord p = held.get();
          SortedMap<String, String> meta = new TreeMap<>(p.meta());
          meta.remove(claim);
          if (CREATOR_VALUE.equals(meta.get(CREATOR)) && otherClaims(c, meta) == 0) {
            c.unpin(cid);
          } else {
            c.pin(new PinRecord(cid, p.name(), p.min(), p.max(), p.expires(), meta));
          }
        }
        mine.remove(cid);
      } catch (ClusterException e) {
        LOG.warn("pinning service: cannot release its cluster pin of {}: {}", cid, e.getMessage());
      }
    }
  }

  /**
   * The spec's status of a cluster pin: pinned once {@code min} allocated peers report it pinned;
   * failed when every allocated peer failed (the cluster keeps retrying, so it may recover);
   * pinning while some hold it or this node fetches it; queued before.
   */
  private static Progress progress(Cluster c, Cid cid, int min) {
    List<PeerStatus> peers = c.status(cid);
    int pinned = 0;
    int failed = 0;
    boolean fetching = false;
    List<String> words = new ArrayList<>();
    for (PeerStatus s : peers) {
      pinned += s.state() == PinState.PINNED ? 1 : 0;
      failed += s.state() == PinState.FAILED ? 1 : 0;
      fetching |= s.state() == PinState.PINNING;
      words.add(s.peer() + " " + s.state() + (s.error().isEmpty() ? "" : " (" + s.error() + ")"));
    }
    String details =
        "pinned on "
            + pinned
            + " of "
            + min
            + " required peers"
            + (peers.isEmpty()
                ? "; no live member to allocate it to"
                : ": " + String.join(", ", words));
    PinRequest.Status status;
    if (pinned >= min) {
      status = PinRequest.Status.PINNED;
    } else if (!peers.isEmpty() && failed == peers.size()) {
      status = PinRequest.Status.FAILED;
    } else if (pinned > 0 || fetching) {
      status = PinRequest.Status.PINNING;
    } else {
      status = PinRequest.Status.QUEUED;
    }
    return new Progress(status, details);
  }

  /** This node, then the cluster's other members that this node knows an address of. */
  @Override
  public List<String> delegates() {
    Set<String> out = new LinkedHashSet<>(selfAddresses.get());
    cluster
        .get()
        .ifPresent(
            c -> {
              for (PeerId member : c.pinset().members()) {
                if (!member.equals(c.self())) {
                  out.addAll(peerAddresses.apply(member));
                }
              }
            });
    List<String> all = new ArrayList<>(out);
    return all.subList(0, Math.min(20, all.size()));
  }
}
