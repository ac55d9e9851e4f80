package dev.tally.storage.gc;

import dev.tally.blockstore.Blockstore;
import dev.tally.log.StateLayout;
import dev.tally.multiformats.Cid;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The logs a node holds as garbage collection roots: each log's own structure from its heads (see
 * {@link LogBlocks}, ADR 026), never the content its records name.
 *
 * <p>{@code heads} is read once per collection, after the collection started: a writer that stores
 * entries and then moves the heads it reports here (a log's append, under the log's lock) must put
 * its blocks through {@link BlockLeases#leasing}, so an entry stored while the collection marks is
 * kept until it ends.
 */
public final class LogGcRoots implements GcRoots {
  private final Supplier<Map<Cid, ? extends Collection<Cid>>> heads;
  private final Map<String, StateLayout> layouts;

  /**
   * @param heads the heads of every log, by the log's id (its manifest's CID)
   * @param layouts how to keep checkpoint states, by the {@code type} of the state root
   */
  public LogGcRoots(
      Supplier<Map<Cid, ? extends Collection<Cid>>> heads, Map<String, StateLayout> layouts) {
    this.heads = heads;
    this.layouts = Map.copyOf(layouts);
  }

  @Override
  public Collection<Cid> recursiveRoots() {
    return List.of();
  }

  @Override
  public void markOwn(Blockstore store, Predicate<Cid> keep) {
    LogBlocks walk = new LogBlocks(store, layouts, keep);
    heads.get().forEach(walk::mark);
  }
}
