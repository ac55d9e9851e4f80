package dev.tally.node;

import dev.tally.cluster.LocalPins;
import dev.tally.multiformats.Cid;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.pin.Pin;
import dev.tally.storage.pin.PinStatus;
import dev.tally.storage.pin.PinType;
import dev.tally.storage.pin.Pinner;
import dev.tally.storage.repo.RepoStat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The repo's pins as a cluster uses them: recursive pins named {@code tally-cluster <id>: <name>},
 * so the cluster lists and removes only its own pins. A CID the user already pinned recursively
 * counts as held and is never taken over or unpinned by the cluster. Blocks come through the online
 * blockstore, which fetches them from peers (Bitswap) and verifies each against its CID.
 */
public final class RepoClusterPins implements LocalPins {
  private final Pinner pins;
  private final FetchingPinner fetching;
  private final Supplier<RepoStat> stat;
  private final String prefix;

  public RepoClusterPins(
      Pinner pins,
      BlockLeases leases,
      FetchingBlockstore blocks,
      Supplier<RepoStat> stat,
      Cid cluster) {
    this.pins = pins;
    this.fetching = FetchingPinner.online(pins, leases, blocks);
    this.stat = stat;
    this.prefix = "tally-cluster " + cluster + ":";
  }

  @Override
  public void pin(Cid cid, String name) {
    PinStatus s = pins.status(List.of(cid)).get(cid);
    if (s.type().equals(Optional.of(PinType.RECURSIVE))) {
      return; // pinned already, by the cluster or by the user
    }
    // The fetched blocks are garbage to a collection until the pin is written: they are fetched
    // and pinned under one watching lease (ADR 026, ADR 029).
    fetching.add(cid, true, prefix + name);
  }

  @Override
  public void unpin(Cid cid) {
    if (ours().contains(cid)) {
      pins.rm(cid, true);
    }
  }

  @Override
  public Set<Cid> pinned() {
    return ours();
  }

  private Set<Cid> ours() {
    Set<Cid> out = new TreeSet<>();
    for (Pin p : pins.ls(Optional.of(PinType.RECURSIVE))) {
      if (p.name().startsWith(prefix)) {
        out.add(p.cid());
      }
    }
    return out;
  }

  /** {@code Datastore.StorageMax} less what the repo holds. */
  @Override
  public long freeBytes() {
    RepoStat s = stat.get();
    return Math.max(0, s.storageMax() - s.repoSize());
  }
}
