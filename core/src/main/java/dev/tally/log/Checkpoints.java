package dev.tally.log;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoints of one {@link Log} (ADR 018): proposing one, endorsing one, listing them with
 * their signers, the latest final one, and re-checking them. A signer endorses only what it has
 * recomputed from its own replica, and never two checkpoints of which neither extends the other:
 * with a majority quorum, two conflicting checkpoints then cannot both become final unless signers
 * break this rule. Proposing and endorsing append to the log (they take its lock and may block).
 */
public final class Checkpoints {
  private final Log log;

  Checkpoints(Log log) {
    this.log = log;
  }

  /**
   * Proposes a checkpoint of the whole replica: appends, signed by {@code key}, a checkpoint entry
   * stating the count, heads and order index of every entry held, without a state root.
   *
   * @throws LogException when the log is empty or {@code key} may not write
   */
  public Entry propose(Ed25519PrivateKey key) {
    return propose(key, Optional.empty(), Optional.empty());
  }

  /**
   * Proposes a checkpoint at {@code atHeads} carrying an application's state root, computed by the
   * caller from the entries at those heads (in the order {@link #coveredBy} gives once it exists:
   * the log's {@link Log#order()} restricted to the past of {@code atHeads}).
   *
   * @throws HeadsMovedException when the heads are no longer {@code atHeads}: recompute and retry
   * @throws LogException when the log is empty or {@code key} may not write
   */
  public Entry propose(Ed25519PrivateKey key, List<Cid> atHeads, Optional<Cid> stateRoot) {
    return propose(key, Optional.of(atHeads), stateRoot);
  }

  /**
   * Endorses the checkpoint {@code checkpoint} with {@code key}, one of the manifest's signers,
   * after recomputing its count and order index from this replica. A checkpoint carrying a state
   * root needs {@link #endorse(Cid, Ed25519PrivateKey, StateRoots)}.
   *
   * @throws LogException when the checkpoint is unknown, its digest does not match this replica,
   *     {@code key} is not a signer, already signed it or signed a conflicting checkpoint
   */
  public Entry endorse(Cid checkpoint, Ed25519PrivateKey key) {
    return endorse(checkpoint, key, Optional.empty());
  }

  /** As {@link #endorse(Cid, Ed25519PrivateKey)}, checking the state root with {@code states}. */
  public Entry endorse(Cid checkpoint, Ed25519PrivateKey key, StateRoots states) {
    return endorse(checkpoint, key, Optional.of(states));
  }

  /** Every checkpoint in this replica, in Lamport order, with its signers and status. */
  public List<Checkpoint> all() {
    return log.chain().all();
  }

  /** The checkpoint entry {@code cid}, if this replica holds it. */
  public Optional<Checkpoint> get(Cid cid) {
    return log.chain().get(cid);
  }

  /** The final checkpoints that cut the total order, oldest first (ADR 018). */
  public List<Cid> finalChain() {
    return log.chain().snapshot().chain();
  }

  /**
   * The epoch {@code entry} sorts in: the place in {@link #finalChain} of the first final
   * checkpoint that covers it (a checkpoint covers itself), or {@link Integer#MAX_VALUE} when none
   * does. {@link Log#order()} is (epoch, Lamport time, author key, CID); an entry's epoch changes
   * only when the chain does.
   */
  public int epoch(Cid entry) {
    return log.chain().snapshot().epoch(entry);
  }

  /** The newest final checkpoint, if any: every entry it covers sorts before every other entry. */
  public Optional<Checkpoint> latestFinal() {
    List<Cid> chain = log.chain().snapshot().chain();
    return chain.isEmpty() ? Optional.empty() : get(chain.get(chain.size() - 1));
  }

  /**
   * The entries a checkpoint covers (its causal past, the checkpoint not included), in the total
   * order they have once it is final: what an application folds to compute its state at it. Once it
   * is final they are the first {@code count} entries of {@link Log#order()}, followed by the
   * checkpoint itself.
   */
  public List<Cid> coveredBy(Cid checkpoint) {
    Checkpoint c =
        get(checkpoint)
            .orElseThrow(
                () -> new LogException(checkpoint + " is not a checkpoint of log " + log.id()));
    java.util.Set<Cid> past = new java.util.HashSet<>(log.graph().pastInLamportOrder(c.heads()));
    return log.order().stream().filter(past::contains).toList();
  }

  /** The digest of the entries at {@code heads}; stores the order index's blocks. */
  private CheckpointRecords.Digest digestAt(List<Cid> heads, Optional<Cid> state) {
    List<Cid> past = log.graph().pastInLamportOrder(heads);
    OrderIndex.Built index = OrderIndex.build(past);
    log.store().putAll(index.blocks());
    return new CheckpointRecords.Digest(past.size(), heads, index.root(), state);
  }

  private Entry propose(Ed25519PrivateKey key, Optional<List<Cid>> atHeads, Optional<Cid> state) {
    synchronized (log) {
      List<Cid> heads = log.heads();
      if (heads.isEmpty()) {
        throw new LogException("log " + log.id() + " is empty: there is nothing to checkpoint");
      }
      if (atHeads.isPresent()
          && !atHeads.get().stream().distinct().sorted().toList().equals(heads)) {
        throw new HeadsMovedException(
            "the heads of log "
                + log.id()
                + " moved since the state root was computed; recompute it at "
                + heads);
      }
      return log.append(CheckpointRecords.checkpoint(digestAt(heads, state)), key);
    }
  }

  private Entry endorse(Cid cid, Ed25519PrivateKey key, Optional<StateRoots> states) {
    Checkpoint c =
        get(cid)
            .orElseThrow(
                () -> new LogException(cid + " is not a checkpoint entry of log " + log.id()));
    byte[] raw = key.publicKey().raw();
    if (!log.manifest().isSigner(raw)) {
      throw new LogException(
          "key "
              + key.publicKey().peerId()
              + " is not a writer or admin named in the manifest of "
              + log.id()
              + "; only they sign checkpoints");
    }
    Optional<Cid> expectedState = Optional.empty();
    if (c.stateRoot().isPresent()) {
      StateRoots s =
          states.orElseThrow(
              () ->
                  new LogException(
                      "checkpoint "
                          + cid
                          + " carries the state root "
                          + c.stateRoot().get()
                          + "; only the application that keeps that state can check it"));
      // Outside the lock: the application may read the log, and folding can take a while.
      expectedState = s.at(log, c);
    }
    synchronized (log) {
      if (log.chain().signedBy(raw).contains(cid)) {
        throw new LogException(
            "key " + key.publicKey().peerId() + " has already signed checkpoint " + cid);
      }
      for (Cid other : log.chain().signedBy(raw)) {
        if (extendsPast(other, cid)) {
          throw new LogException(
              "checkpoint "
                  + cid
                  + " lies in the past of checkpoint "
                  + other
                  + " that key "
                  + key.publicKey().peerId()
                  + " already signed; sign the newer one only");
        }
        if (conflict(cid, other)) {
          throw new LogException(
              "checkpoint "
                  + cid
                  + " conflicts with checkpoint "
                  + other
                  + " that key "
                  + key.publicKey().peerId()
                  + " already signed (neither extends the other)");
        }
      }
      Optional<Checkpoint> last = latestFinal();
      if (last.isPresent() && extendsPast(last.get().cid(), cid)) {
        throw new LogException(
            "checkpoint " + cid + " lies in the past of the final checkpoint " + last.get().cid());
      }
      if (last.isPresent() && conflict(cid, last.get().cid())) {
        throw new LogException(
            "checkpoint " + cid + " does not extend the final checkpoint " + last.get().cid());
      }
      List<String> faults = mismatches(c);
      if (c.stateRoot().isPresent() && !c.stateRoot().equals(expectedState)) {
        faults.add(
            "state root is "
                + c.stateRoot().get()
                + ", the application computes "
                + expectedState.map(Cid::toString).orElse("none"));
      }
      if (!faults.isEmpty()) {
        throw new LogException(
            "will not endorse checkpoint " + cid + ": " + String.join("; ", faults));
      }
      return log.appendAll(List.of(CheckpointRecords.endorsement(cid)), key, List.of(cid)).get(0);
    }
  }

  /** Whether {@code older} lies in the causal past of {@code newer} (and is not it). */
  private boolean extendsPast(Cid newer, Cid older) {
    return !newer.equals(older) && log.reaches(List.of(newer), List.of(older));
  }

  private boolean conflict(Cid a, Cid b) {
    if (a.equals(b)) {
      return false;
    }
    return !log.reaches(List.of(a), List.of(b)) && !log.reaches(List.of(b), List.of(a));
  }

  /** How the digest {@code c} states differs from its causal past in this replica. */
  private List<String> mismatches(Checkpoint c) {
    List<Cid> past = log.graph().pastInLamportOrder(c.heads());
    List<String> out = new ArrayList<>();
    if (past.size() != c.count()) {
      out.add("it states " + c.count() + " entries, its past holds " + past.size());
    }
    Cid index = OrderIndex.build(past).root();
    if (!index.equals(c.index())) {
      out.add("its order index is " + c.index() + ", the entries give " + index);
    }
    return out;
  }

  /**
   * Re-checks every final (and conflicting) checkpoint against this replica: the count and order
   * index it states must match its causal past. Returns the faults, empty when all hold.
   */
  public List<String> verify() {
    List<String> out = new ArrayList<>();
    for (Checkpoint c : all()) {
      if (c.status() == Checkpoint.Status.PROPOSED) {
        continue;
      }
      if (c.status() == Checkpoint.Status.CONFLICTING) {
        out.add(
            "checkpoint "
                + c.cid()
                + " has a quorum but conflicts with an earlier final checkpoint:"
                + " some signers signed both");
      }
      for (String m : mismatches(c)) {
        out.add(c.status().name().toLowerCase() + " checkpoint " + c.cid() + ": " + m);
      }
    }
    return out;
  }
}
