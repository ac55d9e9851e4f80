package dev.tally.cluster;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.log.Checkpoint;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.log.LogException;
import dev.tally.multiformats.Cid;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's use of log checkpoints (ADR 018, ADR 021): a checkpoint carries the pinset at that
 * point as a {@link PinsetSnapshot}, so a member opening the cluster restores the snapshot and
 * folds only the entries after it instead of the whole history. Signers propose one every {@code
 * every} entries and endorse the others' after recomputing the snapshot from their own replica.
 */
final class ClusterCheckpoints {
  private static final System.Logger LOG = System.getLogger(ClusterCheckpoints.class.getName());

  private final Log log;
  private final Ed25519PrivateKey key;
  private final long every;
  private long lastLook = -1;

  ClusterCheckpoints(Log log, Ed25519PrivateKey key, long every) {
    this.log = log;
    this.key = key;
    this.every = every;
  }

  /**
   * The pinset restored from the latest final checkpoint's snapshot when this replica holds it
   * (empty otherwise): the caller subscribes it to the log, then calls {@link #foldRest}.
   */
  static Optional<Restored> restore(Log log) {
    Optional<Checkpoint> c = log.checkpoints().latestFinal();
    if (c.isEmpty() || c.get().stateRoot().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Restored(
              PinsetSnapshot.read(log.manifest(), c.get().stateRoot().get(), log.store()),
              c.get()));
    } catch (ClusterException e) {
      LOG.log(
          Level.WARNING, "cannot restore the pinset from {0}: {1}", c.get().cid(), e.getMessage());
      return Optional.empty();
    }
  }

  /** A pinset restored from {@code checkpoint}'s snapshot. */
  record Restored(Pinset pinset, Checkpoint checkpoint) {
    /**
     * Folds the entries after the checkpoint into the restored pinset: those reachable from the
     * heads but not from the checkpoint (entries concurrent with it included), walked from the
     * heads down to it rather than ordering the whole log.
     */
    void foldRest(Log log) {
      log.traverse(log.heads(), List.of(checkpoint.cid())).forEach(pinset::apply);
    }
  }

  /** The snapshot of the pinset folded from the entries {@code checkpoint} covers. */
  static Optional<Cid> stateAt(Log log, Checkpoint checkpoint) {
    return Optional.of(PinsetSnapshot.write(pinsetAt(log, checkpoint), log.store()));
  }

  /** The pinset folded from the entries {@code checkpoint} covers. */
  static Pinset pinsetAt(Log log, Checkpoint checkpoint) {
    Pinset p = Pinset.of(log.manifest());
    for (Cid cid : log.checkpoints().coveredBy(checkpoint.cid())) {
      log.get(cid).ifPresent(p::apply);
    }
    return p;
  }

  /**
   * Proposes a checkpoint of the whole replica with {@code pinset}'s snapshot as its state. Holds
   * the log's lock throughout, during which {@code pinset} (subscribed to the log) has folded
   * exactly the entries the checkpoint covers.
   */
  static Entry propose(Log log, Pinset pinset, Ed25519PrivateKey key) {
    synchronized (log) {
      Cid root = PinsetSnapshot.write(pinset, log.store());
      return log.checkpoints().propose(key, log.heads(), Optional.of(root));
    }
  }

  /**
   * On a tick, when the log grew: keeps the latest final checkpoint's snapshot in the local store
   * (recomputing it from this replica, so a restart restores from it), endorses the checkpoints
   * others proposed that this signer has not signed, and proposes one once {@code every} entries
   * came after the latest. Returns whether it appended anything.
   */
  boolean tick(Pinset pinset) {
    if (log.size() == lastLook) {
      return false;
    }
    lastLook = log.size();
    keepSnapshot();
    if (!log.manifest().isSigner(key.publicKey().raw())) {
      return false;
    }
    boolean wrote = false;
    List<Checkpoint> all = log.checkpoints().all();
    for (Checkpoint c : all) {
      if (c.status() == Checkpoint.Status.PROPOSED && !c.signers().contains(key.publicKey())) {
        try {
          log.checkpoints().endorse(c.cid(), key, ClusterCheckpoints::stateAt);
          wrote = true;
        } catch (LogException e) {
          LOG.log(Level.INFO, "not endorsing checkpoint {0}: {1}", c.cid(), e.getMessage());
        }
      }
    }
    long covered = all.isEmpty() ? 0 : all.get(all.size() - 1).count();
    if (every > 0 && log.size() - covered >= every) {
      propose(log, pinset, key);
      wrote = true;
    }
    lastLook = log.size();
    return wrote;
  }

  /** Writes the latest final checkpoint's snapshot here if this replica lacks it. */
  private void keepSnapshot() {
    Optional<Checkpoint> c = log.checkpoints().latestFinal();
    if (c.isEmpty()
        || c.get().stateRoot().isEmpty()
        || log.store().has(c.get().stateRoot().get())) {
      return;
    }
    Optional<Cid> mine = stateAt(log, c.get());
    if (!mine.equals(c.get().stateRoot())) {
      LOG.log(
          Level.WARNING,
          "final checkpoint {0} states pinset {1}; this replica folds to {2}",
          c.get().cid(),
          c.get().stateRoot().get(),
          mine.orElseThrow());
    }
  }
}
