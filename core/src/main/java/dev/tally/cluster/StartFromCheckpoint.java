package dev.tally.cluster;

import dev.tally.blockstore.Blockstore;
import dev.tally.log.Checkpoint;
import dev.tally.log.Entry;
import dev.tally.log.FinalCheckpoint;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A new member's pinset from the final checkpoint its log replica started from (ADR 027): the
 * entries the checkpoint covers are never folded; their effect comes from the pinset snapshot the
 * checkpoint names as its state root, read (fetched from peers) and checked block by block against
 * that root's CIDs, then merged into the pinset (every register is last-writer-wins by its stamp,
 * so merging it with what was folded meanwhile is exact). When the snapshot cannot be had (no peer
 * sends it, or a quorum of signers stated a malformed one), it is retried with a back-off, and once
 * the replica holds the checkpoint's history it is recomputed from it, so the pinset is always
 * exactly the fold of the whole log in the end.
 */
final class StartFromCheckpoint {
  private static final System.Logger LOG = System.getLogger(StartFromCheckpoint.class.getName());

  /** Wait before asking peers for a snapshot again after a failure. */
  static final long RETRY_MILLIS = 5_000;

  private final Log log;
  private final Pinset pinset;
  private final Blockstore snapshots;
  private final LongSupplier clock;
  private volatile Optional<Checkpoint> loaded = Optional.empty();
  private long retryAt = Long.MIN_VALUE;
  private String lastFailure = "";

  StartFromCheckpoint(Log log, Pinset pinset, Blockstore snapshots, LongSupplier clock) {
    this.log = log;
    this.pinset = pinset;
    this.snapshots = snapshots;
    this.clock = clock;
  }

  /** The checkpoint whose snapshot was merged into the pinset, once it was. */
  Optional<Checkpoint> loaded() {
    return loaded;
  }

  /** {@code batch} without the entries the vouched checkpoint covers (and itself). */
  Iterable<Entry> uncovered(List<Entry> batch) {
    Optional<FinalCheckpoint> from = log.startedFrom();
    if (from.isEmpty() || from.get().checkpoint().stateRoot().isEmpty()) {
      return batch;
    }
    FinalCheckpoint f = from.get();
    List<Entry> out = new ArrayList<>(batch.size());
    for (Entry e : batch) {
      if (!f.covers(e.cid()) && !e.cid().equals(f.checkpoint().cid())) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * On the member's tick: loads the snapshot when the replica started from a checkpoint whose
   * snapshot is not loaded yet. May block on the network (off event loops).
   */
  synchronized void tick() {
    if (loaded.isPresent()) {
      return;
    }
    Optional<FinalCheckpoint> from = log.startedFrom();
    if (from.isEmpty() || from.get().checkpoint().stateRoot().isEmpty()) {
      return;
    }
    Checkpoint c = from.get().checkpoint();
    Cid root = c.stateRoot().get();
    long now = clock.getAsLong();
    if (now < retryAt && !log.contains(c.cid())) {
      return;
    }
    try {
      PinsetSnapshot.copy(root, snapshots, log.store());
      merge(c, root);
      LOG.log(
          Level.INFO,
          "cluster {0}: loaded the pinset snapshot {1} of checkpoint {2} ({3} entries covered)",
          log.id(),
          root,
          c.cid(),
          c.count());
    } catch (RuntimeException e) {
      // A fetching blockstore fails with its own exceptions (not found, timed out, no peers);
      // whatever the cause, the snapshot is retried, or recomputed once the history is here.
      retryAt = now + RETRY_MILLIS;
      if (!e.getMessage().equals(lastFailure)) {
        lastFailure = e.getMessage();
        LOG.log(
            Level.WARNING,
            "cluster {0}: cannot load the pinset snapshot {1} of checkpoint {2}: {3}",
            log.id(),
            root,
            c.cid(),
            e.getMessage());
      }
      if (log.contains(c.cid())) {
        // The covered history is here: fold it to the checkpoint's state ourselves.
        Cid mine =
            ClusterCheckpoints.stateAt(log, log.checkpoints().get(c.cid()).orElseThrow())
                .orElseThrow();
        merge(c, mine);
        LOG.log(
            Level.INFO,
            "cluster {0}: recomputed the pinset at checkpoint {1} from the log",
            log.id(),
            c.cid());
      }
    }
  }

  private void merge(Checkpoint c, Cid root) {
    pinset.restore(PinsetSnapshot.read(log.manifest(), root, log.store()).registers());
    loaded = Optional.of(c);
  }
}
