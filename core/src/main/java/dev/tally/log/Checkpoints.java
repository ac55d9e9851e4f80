package dev.tally.log;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Proposing, endorsing and re-checking checkpoints of one {@link Log} (ADR 018). A signer endorses
 * only what it has recomputed from its own replica, and never two checkpoints of which neither
 * extends the other: with a majority quorum, two conflicting checkpoints then cannot both become
 * final unless signers break this rule.
 */
final class Checkpoints {
  private final Log log;

  Checkpoints(Log log) {
    this.log = log;
  }

  /** The digest of the entries at {@code heads}; stores the order index's blocks. */
  private CheckpointRecords.Digest digestAt(List<Cid> heads, Optional<Cid> state) {
    List<Cid> past = log.graph().pastInLamportOrder(heads);
    OrderIndex.Built index = OrderIndex.build(past);
    log.store().putAll(index.blocks());
    return new CheckpointRecords.Digest(past.size(), heads, index.root(), state);
  }

  Entry propose(Ed25519PrivateKey key, Optional<List<Cid>> atHeads, Optional<Cid> state) {
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

  Entry endorse(Cid cid, Ed25519PrivateKey key, Optional<StateRoots> states) {
    Checkpoint c =
        log.checkpointAt(cid)
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
      Optional<Checkpoint> last = log.latestFinal();
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

  List<String> verify() {
    List<String> out = new ArrayList<>();
    for (Checkpoint c : log.checkpoints()) {
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
