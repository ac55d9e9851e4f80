package dev.tally.node;

import dev.tally.exchange.DagFetch;
import dev.tally.multiformats.Cid;
import dev.tally.storage.dag.MissingBlockException;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.pin.Pinner;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The repo's pins as an online node makes them ({@code pin add}, {@code pin update}, the Pinning
 * Service API, the cluster's pin tracker): the DAG is fetched from peers and pinned under one
 * watching lease (ADR 029). The exchange stores what it fetches through a leasing view, so every
 * fetched block is protected from the moment it is stored until the pin is committed, and a garbage
 * collection running during a long fetch neither deletes what came already nor leaves the pin to
 * fail (or fetch it all again).
 *
 * <p>A block that was stored before the lease and pinned by nothing is not protected until the
 * pin's walk reaches it; a collection may take it after the fetch read it. The walk then misses it
 * and the pin fetches again: the lease keeps everything the walk reached, so each round gets
 * further, and a block missed twice (no peer sends it) fails the pin.
 */
public final class FetchingPinner {
  /** Where missing blocks come from. Calls block; never call them from an event loop. */
  public interface Source {
    /** Offline: nothing is fetched; a pin of a missing block fails with its CID. */
    Source OFFLINE =
        new Source() {
          @Override
          public void dag(Cid root, Consumer<DagFetch.Progress> progress) {}

          @Override
          public void block(Cid cid) {}
        };

    /** Stores every block under {@code root} that is missing here, telling {@code progress}. */
    void dag(Cid root, Consumer<DagFetch.Progress> progress);

    /** Stores {@code cid}'s block if it is missing here. */
    void block(Cid cid);
  }

  private final Pinner pins;
  private final BlockLeases leases;
  private final Source source;

  public FetchingPinner(Pinner pins, BlockLeases leases, Source source) {
    this.pins = pins;
    this.leases = leases;
    this.source = source;
  }

  /** Pins fetching through {@code blocks}' exchange. */
  public static FetchingPinner online(Pinner pins, BlockLeases leases, FetchingBlockstore blocks) {
    return new FetchingPinner(
        pins,
        leases,
        new Source() {
          @Override
          public void dag(Cid root, Consumer<DagFetch.Progress> progress) {
            blocks.fetchAll(root, progress);
          }

          @Override
          public void block(Cid cid) {
            blocks.get(cid);
          }
        });
  }

  /** The node's pins, fetching from peers when its blockstore is online. */
  public static FetchingPinner of(Node node) {
    return node.blocks() instanceof FetchingBlockstore online
        ? online(node.pins(), node.leases(), online)
        : new FetchingPinner(node.pins(), node.leases(), Source.OFFLINE);
  }

  /** {@link #add(Cid, boolean, String, Consumer)} without progress reports. */
  public void add(Cid cid, boolean recursive, String name) {
    add(cid, recursive, name, p -> {});
  }

  /**
   * Fetches what is missing of {@code cid}'s DAG (its one block for a direct pin) and pins it, as
   * {@link Pinner#add(Cid, boolean, String)}.
   *
   * @throws MissingBlockException when a block is neither here nor sent by a peer
   */
  public void add(Cid cid, boolean recursive, String name, Consumer<DagFetch.Progress> progress) {
    try (BlockLeases.Lease lease = leases.openWatching()) {
      if (!recursive) {
        // Protected before it is looked at: stored already or fetched now, a collection keeps it.
        lease.protect(cid.multihash());
        source.block(cid);
        pins.add(cid, false, name, lease);
        return;
      }
      fetchUntilPinned(cid, progress, () -> pins.add(cid, true, name, lease));
    }
  }

  /**
   * Fetches what is missing of {@code to}'s DAG and moves {@code from}'s recursive pin to it, as
   * {@link Pinner#update(Cid, Cid, boolean)}.
   */
  public void update(Cid from, Cid to, boolean unpin) {
    try (BlockLeases.Lease lease = leases.openWatching()) {
      fetchUntilPinned(to, p -> {}, () -> pins.update(from, to, unpin, lease));
    }
  }

  /** Fetches under the caller's open watching lease, then pins; again while new blocks miss. */
  private void fetchUntilPinned(Cid root, Consumer<DagFetch.Progress> progress, Runnable pin) {
    Set<Cid> missed = new HashSet<>();
    while (true) {
      source.dag(root, progress);
      try {
        pin.run();
        return;
      } catch (MissingBlockException e) {
        // Collected after the fetch read it and before the walk protected it (see the class
        // comment); the lease now holds its parent, so the next fetch reaches and stores it.
        if (source == Source.OFFLINE || !missed.add(e.cid())) {
          throw e;
        }
      }
    }
  }
}
