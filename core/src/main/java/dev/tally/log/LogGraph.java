package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The in-memory shape of a replica: one {@link Node} per verified entry (clock, author, links), and
 * the questions sync, proofs and readers ask of it — order, walks, deltas, reachability, the chain
 * to an entry. No entry bodies are read here. Safe for concurrent readers; the owning {@link Log}
 * alone adds nodes.
 */
final class LogGraph {
  private final Cid logId;
  private final Map<Cid, Node> nodes;

  /** How final checkpoints cut the order; replaced (never mutated) when the chain changes. */
  private volatile CheckpointChain.Snapshot cuts = CheckpointChain.Snapshot.EMPTY;

  LogGraph(Cid logId, Map<Cid, Node> nodes) {
    this.logId = logId;
    this.nodes = nodes;
  }

  void cut(CheckpointChain.Snapshot cuts) {
    this.cuts = cuts;
  }

  /** The log's total order over nodes as of now (see {@link CheckpointChain}). */
  Comparator<Node> order() {
    return cuts.order();
  }

  /** The node of {@code cid}, or null. */
  Node node(Cid cid) {
    return nodes.get(cid);
  }

  Node require(Cid cid) {
    Node n = nodes.get(cid);
    if (n == null) {
      throw new LogException("entry " + cid + " is not in log " + logId);
    }
    return n;
  }

  boolean contains(Cid cid) {
    return nodes.containsKey(cid);
  }

  int size() {
    return nodes.size();
  }

  /** Every entry's CID in ascending total order (oldest first). */
  List<Cid> sorted() {
    List<Node> all = new ArrayList<>(nodes.values());
    all.sort(order());
    return all.stream().map(Node::cid).toList();
  }

  /**
   * The entries in the causal past of {@code heads} (inclusive), in Lamport order (time, author,
   * CID), which does not depend on which checkpoints are final.
   */
  List<Cid> pastInLamportOrder(Collection<Cid> heads) {
    List<Node> past = new ArrayList<>();
    Set<Cid> seen = new HashSet<>();
    ArrayDeque<Cid> stack = new ArrayDeque<>(heads);
    while (!stack.isEmpty()) {
      Cid c = stack.pop();
      if (seen.add(c)) {
        Node n = require(c);
        past.add(n);
        n.next().forEach(stack::push);
      }
    }
    past.sort(Comparator.naturalOrder());
    return past.stream().map(Node::cid).toList();
  }

  /** See {@link Walk}. */
  Walk walk(Collection<Cid> from, Collection<Cid> until) {
    return new Walk(this, from, until);
  }

  /** See {@link Log#delta}. */
  List<Cid> delta(Collection<Cid> from, Collection<Cid> until, int max) {
    Walk walk =
        walk(
            from.stream().filter(nodes::containsKey).toList(),
            until.stream().filter(nodes::containsKey).toList());
    ArrayList<Cid> newestFirst = new ArrayList<>();
    walk.forEachRemaining(n -> newestFirst.add(n.cid()));
    List<Cid> out = new ArrayList<>(Math.min(max, newestFirst.size()));
    for (int i = newestFirst.size() - 1; i >= 0 && out.size() < max; i--) {
      out.add(newestFirst.get(i));
    }
    return out;
  }

  /** See {@link Log#reaches}. */
  boolean reaches(Collection<Cid> from, Collection<Cid> targets) {
    Set<Cid> left = new HashSet<>();
    Node oldest = null;
    for (Cid t : targets) {
      Node n = nodes.get(t);
      if (n == null) {
        return false;
      }
      left.add(t);
      oldest = oldest == null || n.compareTo(oldest) < 0 ? n : oldest;
    }
    if (left.isEmpty()) {
      return true;
    }
    PriorityQueue<Node> queue = new PriorityQueue<>(Comparator.reverseOrder());
    Set<Cid> seen = new HashSet<>();
    for (Cid c : from) {
      Node n = nodes.get(c);
      if (n != null && seen.add(c)) {
        queue.add(n);
      }
    }
    while (!queue.isEmpty() && !left.isEmpty()) {
      Node n = queue.poll();
      if (n.compareTo(oldest) < 0) {
        break;
      }
      left.remove(n.cid());
      for (Cid p : n.next()) {
        Node pn = nodes.get(p);
        if (pn != null && seen.add(p)) {
          queue.add(pn);
        }
      }
    }
    return left.isEmpty();
  }

  /** See {@link Log#anchors}. */
  List<Cid> anchors(List<Cid> heads, int max) {
    LinkedHashSet<Cid> out = new LinkedHashSet<>(heads);
    for (Cid h : heads) {
      Node n = nodes.get(h);
      out.addAll(n.next());
      out.addAll(n.refs());
    }
    return out.stream().limit(max).toList();
  }

  /**
   * The shortest chain from one of {@code heads} down to {@code target} (head first), each entry
   * linking to the next by {@code next} or {@code refs}; see {@link Log#chainTo}.
   */
  List<Cid> chainTo(List<Cid> heads, Cid target) {
    Node goal = require(target);
    Map<Cid, Cid> from = new HashMap<>();
    ArrayDeque<Cid> queue = new ArrayDeque<>();
    for (Cid h : heads) {
      from.put(h, h);
      queue.add(h);
    }
    while (!queue.isEmpty() && !from.containsKey(target)) {
      Node n = nodes.get(queue.poll());
      List<Cid> links = new ArrayList<>(n.refs());
      links.addAll(n.next());
      for (Cid link : links) {
        Node l = nodes.get(link);
        if (l != null && l.time() >= goal.time() && !from.containsKey(link)) {
          from.put(link, n.cid());
          queue.add(link);
        }
      }
    }
    if (!from.containsKey(target)) {
      throw new LogException("entry " + target + " is not reachable from the heads");
    }
    List<Cid> chain = new ArrayList<>();
    for (Cid c = target; ; c = from.get(c)) {
      chain.add(0, c);
      if (from.get(c).equals(c)) {
        return chain;
      }
    }
  }
}
