package dev.tally.log;

import dev.tally.crypto.Ed25519PublicKey;
import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checkpoints of one replica and their signatures, and the chain of final checkpoints that the
 * total order is cut by (ADR 018). Written only under the owning {@link Log}'s lock; read through
 * {@link #snapshot()}, an immutable view replaced whenever the chain changes.
 *
 * <p>Final checkpoints are taken in Lamport order; each joins the chain when the last one already
 * in it lies in its causal past, and is {@link Checkpoint.Status#CONFLICTING} otherwise. The
 * entries of {@code past(C1) ∪ {C1}} get epoch 0, those of {@code past(C2) ∪ {C2}} not already
 * placed epoch 1, and so on; every other entry sorts after them all. Since causal pasts nest along
 * the chain, the order (epoch, time, author, CID) still puts every entry after its ancestors, and
 * the prefix a final checkpoint covers can never again change: a later or concurrent entry sorts
 * after it.
 */
final class CheckpointChain {
  /** One proposed checkpoint and the signers seen so far. */
  private static final class Proposal {
    final Node node;
    final CheckpointRecords.Digest digest;
    final Set<ByteBuffer> signers = new HashSet<>();
    final List<Cid> endorsements = new ArrayList<>();

    Proposal(Node node, CheckpointRecords.Digest digest) {
      this.node = node;
      this.digest = digest;
    }
  }

  /**
   * The published state.
   *
   * @param chain the final checkpoints, oldest first
   * @param epochs the chain position of every entry a final checkpoint covers
   * @param conflicting checkpoints with a quorum that conflict with the chain
   */
  record Snapshot(List<Cid> chain, Map<Cid, Integer> epochs, Set<Cid> conflicting) {
    static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), Set.of());

    int epoch(Cid cid) {
      Integer e = epochs.get(cid);
      return e == null ? Integer.MAX_VALUE : e;
    }

    /** The total order over nodes. */
    Comparator<Node> order() {
      if (chain.isEmpty()) {
        return Comparator.naturalOrder();
      }
      return (a, b) -> {
        int c = Integer.compare(epoch(a.cid()), epoch(b.cid()));
        return c != 0 ? c : a.compareTo(b);
      };
    }
  }

  private final LogManifest manifest;
  private final Map<Cid, Proposal> proposals = new LinkedHashMap<>();
  private volatile Snapshot snapshot = Snapshot.EMPTY;

  CheckpointChain(LogManifest manifest) {
    this.manifest = manifest;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Takes note of entries just added (checkpoints before their endorsements, as the batch is in
   * order); returns whether the chain changed.
   */
  synchronized boolean note(List<Entry> added, LogGraph graph) {
    boolean quorumReached = false;
    for (Entry e : added) {
      Optional<CheckpointRecords.Digest> d = CheckpointRecords.digest(e.record());
      if (d.isPresent()) {
        Proposal p = new Proposal(graph.require(e.cid()), d.get());
        proposals.put(e.cid(), p);
        quorumReached |= sign(p, e.authorUnsafe(), null);
      }
      Optional<Cid> endorsed = CheckpointRecords.endorsed(e.record());
      if (endorsed.isPresent()) {
        Proposal p = proposals.get(endorsed.get());
        if (p != null) {
          quorumReached |= sign(p, e.authorUnsafe(), e.cid());
        }
      }
    }
    return quorumReached && rebuild(graph);
  }

  /** Adds a signer; true when that completes the quorum. */
  private boolean sign(Proposal p, byte[] author, Cid endorsement) {
    if (!manifest.isSigner(author) || !p.signers.add(ByteBuffer.wrap(author))) {
      return false;
    }
    if (endorsement != null) {
      p.endorsements.add(endorsement);
    }
    return p.signers.size() == manifest.quorum();
  }

  private boolean rebuild(LogGraph graph) {
    List<Proposal> finals = new ArrayList<>();
    for (Proposal p : proposals.values()) {
      if (p.signers.size() >= manifest.quorum()) {
        finals.add(p);
      }
    }
    finals.sort((a, b) -> a.node.compareTo(b.node));
    List<Cid> chain = new ArrayList<>();
    Set<Cid> conflicting = new HashSet<>();
    for (Proposal p : finals) {
      if (chain.isEmpty() || graph.reaches(p.node.next(), List.of(chain.get(chain.size() - 1)))) {
        chain.add(p.node.cid());
      } else {
        conflicting.add(p.node.cid());
      }
    }
    if (chain.equals(snapshot.chain()) && conflicting.equals(snapshot.conflicting())) {
      return false;
    }
    Map<Cid, Integer> epochs = new HashMap<>();
    for (int i = 0; i < chain.size(); i++) {
      Deque<Cid> stack = new ArrayDeque<>();
      stack.push(chain.get(i));
      while (!stack.isEmpty()) {
        Cid c = stack.pop();
        if (epochs.putIfAbsent(c, i) == null) {
          graph.require(c).next().forEach(stack::push);
        }
      }
    }
    snapshot = new Snapshot(List.copyOf(chain), epochs, Set.copyOf(conflicting));
    return true;
  }

  /** Every checkpoint, in Lamport order. */
  List<Checkpoint> all() {
    Snapshot s = snapshot;
    List<Checkpoint> out = new ArrayList<>();
    List<Proposal> ps;
    synchronized (this) {
      ps = new ArrayList<>(proposals.values());
    }
    ps.sort((a, b) -> a.node.compareTo(b.node));
    for (Proposal p : ps) {
      out.add(view(p, s));
    }
    return out;
  }

  Optional<Checkpoint> get(Cid cid) {
    Proposal p;
    synchronized (this) {
      p = proposals.get(cid);
    }
    return Optional.ofNullable(p).map(x -> view(x, snapshot));
  }

  /** The checkpoints {@code key} has signed. */
  List<Cid> signedBy(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    List<Cid> out = new ArrayList<>();
    synchronized (this) {
      for (Proposal p : proposals.values()) {
        if (p.signers.contains(k)) {
          out.add(p.node.cid());
        }
      }
    }
    return out;
  }

  private Checkpoint view(Proposal p, Snapshot s) {
    List<Ed25519PublicKey> signers;
    List<Cid> endorsements;
    synchronized (this) {
      endorsements = List.copyOf(p.endorsements);
      signers = new ArrayList<>();
      for (ByteBuffer b : p.signers) {
        byte[] raw = new byte[b.remaining()];
        b.duplicate().get(raw);
        signers.add(manifest.writer(raw).orElseGet(() -> Ed25519PublicKey.of(raw)));
      }
    }
    signers.sort((a, b) -> Arrays.compareUnsigned(a.raw(), b.raw()));
    Checkpoint.Status status =
        s.chain().contains(p.node.cid())
            ? Checkpoint.Status.FINAL
            : s.conflicting().contains(p.node.cid())
                ? Checkpoint.Status.CONFLICTING
                : Checkpoint.Status.PROPOSED;
    return new Checkpoint(
        p.node.cid(),
        Ed25519PublicKey.of(p.node.author()),
        p.node.time(),
        p.digest,
        signers,
        endorsements,
        manifest.quorum(),
        status);
  }
}
