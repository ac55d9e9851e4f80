package dev.tally.cluster;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.GcLeases;
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
 *
 * <p>Until the checkpoint entry itself reaches the replica, nothing a collection walks reaches the
 * snapshot (GC keeps a log's structure from its heads, ADR 026): its blocks are protected by a GC
 * lease from before each is looked up until the checkpoint is in the log, or the member closes (ADR
 * 032). Otherwise a {@code repo gc} in that window deletes them, and the load reads a half copy, or
 * a restart and the peers this node offers the checkpoint to find no snapshot.
 */
final class StartFromCheckpoint {
  private static final System.Logger LOG = System.getLogger(StartFromCheckpoint.class.getName());

  /** Wait before asking peers for a snapshot again after a failure. */
  static final long RETRY_MILLIS = 5_000;

  private final Log log;
  private final Pinset pinset;
  private final Blockstore snapshots;
  private final LongSupplier clock;
  private final GcLeases leases;

  /**
   * Guards {@link #held} and {@link #closed}: not this object's monitor, which a tick holds while
   * it waits on peers, so closing never waits for a fetch.
   */
  private final Object leaseLock = new Object();

  /** The lease on the loaded snapshot's blocks, until its checkpoint is in the log. */
  private Optional<GcLeases.Lease> held = Optional.empty();

  private boolean closed;

  private volatile Optional<Checkpoint> loaded = Optional.empty();
  private long retryAt = Long.MIN_VALUE;
  private String lastFailure = "";

  StartFromCheckpoint(
      Log log, Pinset pinset, Blockstore snapshots, GcLeases leases, LongSupplier clock) {
    this.log = log;
    this.pinset = pinset;
    this.snapshots = snapshots;
    this.leases = leases;
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
      releaseOnceRooted();
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
    GcLeases.Lease lease = leases.open();
    try {
      PinsetSnapshot.copy(root, snapshots, log.store(), lease::protect);
      merge(c, root);
      synchronized (leaseLock) {
        if (closed) {
          lease.close();
        } else {
          held = Optional.of(lease);
        }
      }
      releaseOnceRooted();
      LOG.log(
          Level.INFO,
          "cluster {0}: loaded the pinset snapshot {1} of checkpoint {2} ({3} entries covered)",
          log.id(),
          root,
          c.cid(),
          c.count());
    } catch (RuntimeException e) {
      lease.close();
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
        // The covered history is here: fold it to the checkpoint's state ourselves, and keep its
        // snapshot for a restart. Merged from memory, not read back: a snapshot that differs from
        // the one the checkpoint states is rooted by nothing and a collection may take it.
        Pinset mine =
            ClusterCheckpoints.pinsetAt(log, log.checkpoints().get(c.cid()).orElseThrow());
        PinsetSnapshot.write(mine, log.store());
        pinset.restore(mine.registers());
        loaded = Optional.of(c);
        LOG.log(
            Level.INFO,
            "cluster {0}: recomputed the pinset at checkpoint {1} from the log",
            log.id(),
            c.cid());
      }
    }
  }

  /**
   * Closes the snapshot's lease once its checkpoint entry is in the replica: a join stores entries
   * and moves the heads under the log's lock, which is where a collection reads them, so from then
   * on every collection reaches the snapshot through the checkpoint's state (one already running
   * keeps the lease's blocks until it ends).
   */
  private void releaseOnceRooted() {
    if (loaded.isPresent() && log.contains(loaded.get().cid())) {
      release();
    }
  }

  private void release() {
    synchronized (leaseLock) {
      held.ifPresent(GcLeases.Lease::close);
      held = Optional.empty();
    }
  }

  /** The member is closing: the snapshot is abandoned to the collector unless a root keeps it. */
  void close() {
    synchronized (leaseLock) {
      closed = true;
    }
    release();
  }

  private void merge(Checkpoint c, Cid root) {
    pinset.restore(PinsetSnapshot.read(log.manifest(), root, log.store()).registers());
    loaded = Optional.of(c);
  }
}
