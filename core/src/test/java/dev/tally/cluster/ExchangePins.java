package dev.tally.cluster;

import dev.tally.blockstore.Blockstore;
import dev.tally.exchange.Exchange;
import dev.tally.ipld.Block;
import dev.tally.ipld.Links;
import dev.tally.multiformats.Cid;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Local pins of a test node: fetches the DAG through its Bitswap exchange, then checks every block
 * is stored and hashes to its CID before calling it pinned. The pinned set outlives a node's
 * restart, as the repo's pins do.
 */
final class ExchangePins implements LocalPins {
  final Set<Cid> pinned = ConcurrentHashMap.newKeySet();
  final Blockstore store;
  volatile Exchange exchange;

  ExchangePins(Blockstore store) {
    this.store = store;
  }

  @Override
  public void pin(Cid cid, String name) {
    try {
      exchange.fetchDag(cid).done().await(20, TimeUnit.SECONDS);
    } catch (TimeoutException | RuntimeException e) {
      throw new IllegalStateException("cannot fetch " + cid + ": " + e.getMessage(), e);
    }
    if (!intact(store, cid)) {
      throw new IllegalStateException("the DAG under " + cid + " is not whole after the fetch");
    }
    pinned.add(cid);
  }

  @Override
  public void unpin(Cid cid) {
    pinned.remove(cid);
  }

  @Override
  public Set<Cid> pinned() {
    return Set.copyOf(pinned);
  }

  @Override
  public long freeBytes() {
    return 10L << 30;
  }

  /** Whether every block under {@code root} is in {@code store} and hashes to its CID. */
  static boolean intact(Blockstore store, Cid root) {
    Deque<Cid> todo = new ArrayDeque<>();
    Set<Cid> seen = new HashSet<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Cid c = todo.pop();
      if (!seen.add(c)) {
        continue;
      }
      Block b = store.get(c).orElse(null);
      if (b == null || !c.multihash().matches(b.bytes())) {
        return false;
      }
      Links.of(b).forEach(todo::push);
    }
    return true;
  }
}
