package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * The entries reachable from some entries and not from others, newest first. Pops the greatest
 * queued entry and queues its parents. Every entry sorts after its ancestors, so each one is popped
 * after all its queued descendants, by which time any exclusion coming from {@code until} has
 * reached it.
 */
final class Walk implements Iterator<Node> {
  private final LogGraph graph;
  private final PriorityQueue<Node> queue;
  private final Map<Cid, Boolean> excluded = new HashMap<>();
  private int included;
  private Node ahead;

  /**
   * @throws LogException when an entry of {@code from} or {@code until} is not in the graph
   */
  Walk(LogGraph graph, Collection<Cid> from, Collection<Cid> until) {
    this.graph = graph;
    this.queue = new PriorityQueue<>(graph.order().reversed());
    for (Cid c : until) {
      offer(graph.require(c), true);
    }
    for (Cid c : from) {
      offer(graph.require(c), false);
    }
  }

  private void offer(Node n, boolean exclude) {
    Boolean prev = excluded.get(n.cid());
    if (prev == null) {
      excluded.put(n.cid(), exclude);
      queue.add(n);
      included += exclude ? 0 : 1;
    } else if (exclude && !prev) {
      excluded.put(n.cid(), true);
      included--;
    }
  }

  @Override
  public boolean hasNext() {
    // Once only excluded entries are queued, nothing after them can be included.
    while (ahead == null && included > 0) {
      Node n = queue.poll();
      boolean ex = excluded.remove(n.cid());
      included -= ex ? 0 : 1;
      for (Cid parent : n.next()) {
        offer(graph.require(parent), ex);
      }
      if (!ex) {
        ahead = n;
      }
    }
    return ahead != null;
  }

  @Override
  public Node next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Node n = ahead;
    ahead = null;
    return n;
  }
}
