package dev.tally.log;

import dev.tally.ipld.Block;
import dev.tally.log.LogVerificationException.Kind;
import dev.tally.multiformats.Cid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One verification pass: reads every entry reachable from some heads that the log does not hold
 * yet, checks each (hash, canonical form, writer, signature, links, clock, skip links) and returns
 * the valid ones in total order with the rejects. Nothing is stored here. Signatures, the dominant
 * cost, are checked in parallel; the link and clock checks then run in time order, parents first.
 */
final class Ingest {
  /** Below this many entries a parallel stream costs more than it saves. */
  private static final int PARALLEL_MIN = 64;

  private final LogManifest manifest;
  private final Function<Cid, Node> known;
  private final boolean checkSignatures;
  private final Map<Cid, Node> added = new HashMap<>();

  Ingest(LogManifest manifest, Function<Cid, Node> known, boolean checkSignatures) {
    this.manifest = manifest;
    this.known = known;
    this.checkSignatures = checkSignatures;
  }

  record Result(
      List<Entry> accepted,
      Map<Cid, Node> nodes,
      List<LogVerificationException> rejected,
      Set<Cid> missing) {}

  Result run(Collection<Cid> heads, EntrySource source) {
    Map<Cid, Entry> pending = new HashMap<>();
    Map<Cid, LogVerificationException> rejected = new LinkedHashMap<>();
    Set<Cid> missing = new HashSet<>();
    Deque<Cid> stack = new ArrayDeque<>(heads);
    while (!stack.isEmpty()) {
      Cid cid = stack.pop();
      if (node(cid) != null
          || pending.containsKey(cid)
          || rejected.containsKey(cid)
          || missing.contains(cid)) {
        continue;
      }
      Optional<Block> block = source.get(cid);
      if (block.isEmpty()) {
        missing.add(cid);
        continue;
      }
      try {
        Entry e = Entry.decodeUntrusted(block.get());
        pending.put(cid, e);
        e.next().forEach(stack::push);
        e.refs().forEach(stack::push);
      } catch (LogVerificationException e) {
        rejected.put(cid, e);
      }
    }
    checkAuthors(pending, rejected);
    List<Entry> ordered = new ArrayList<>(pending.values());
    ordered.sort(EntryOrder.ENTRIES);
    List<Entry> accepted = new ArrayList<>(ordered.size());
    Set<Cid> done = new HashSet<>();
    for (Entry e : ordered) {
      try {
        added.put(e.cid(), Node.of(e, checkLinks(e, pending, done, rejected, missing)));
        accepted.add(e);
      } catch (LogVerificationException ex) {
        rejected.put(e.cid(), ex);
      }
      done.add(e.cid());
    }
    return new Result(accepted, added, List.copyOf(rejected.values()), missing);
  }

  private void checkAuthors(Map<Cid, Entry> pending, Map<Cid, LogVerificationException> rejected) {
    Collection<Entry> all = pending.values();
    List<LogVerificationException> bad =
        (all.size() >= PARALLEL_MIN ? all.parallelStream() : all.stream())
            .map(this::authorFault)
            .flatMap(Optional::stream)
            .toList();
    for (LogVerificationException ex : bad) {
      pending.remove(ex.cid());
      rejected.put(ex.cid(), ex);
    }
  }

  private Optional<LogVerificationException> authorFault(Entry e) {
    try {
      if (checkSignatures) {
        e.verifySignature(manifest);
      } else if (!e.log().equals(manifest.cid()) || manifest.writer(e.authorUnsafe()).isEmpty()) {
        e.verifySignature(manifest);
      }
      return Optional.empty();
    } catch (LogVerificationException ex) {
      return Optional.of(ex);
    }
  }

  /** Checks links, clock and skip links; returns the entry's spine (null for a root). */
  private Cid checkLinks(
      Entry e,
      Map<Cid, Entry> pending,
      Set<Cid> done,
      Map<Cid, LogVerificationException> rejected,
      Set<Cid> missing) {
    List<Node> next = new ArrayList<>(e.next().size());
    for (Cid link : e.next()) {
      next.add(resolve(e, link, pending, done, rejected, missing));
    }
    for (Cid link : e.refs()) {
      resolve(e, link, pending, done, rejected, missing);
    }
    Node spine = null;
    long max = 0;
    for (Node n : next) {
      max = Math.max(max, n.time());
      if (spine == null || n.compareTo(spine) > 0) {
        spine = n;
      }
    }
    if (e.time() != max + 1) {
      throw new LogVerificationException(
          Kind.BAD_CLOCK,
          e.cid(),
          "time is " + e.time() + ", expected 1 + the greatest time of next = " + (max + 1));
    }
    List<Cid> expected = skipLinks(spine);
    if (!expected.equals(e.refs())) {
      throw new LogVerificationException(
          Kind.BAD_REFS, e.cid(), "refs are " + e.refs() + ", expected " + expected);
    }
    return spine == null ? null : spine.cid();
  }

  private Node resolve(
      Entry e,
      Cid link,
      Map<Cid, Entry> pending,
      Set<Cid> done,
      Map<Cid, LogVerificationException> rejected,
      Set<Cid> missing) {
    Node n = node(link);
    if (n != null) {
      return n;
    }
    if (pending.containsKey(link) && !done.contains(link)) {
      throw new LogVerificationException(
          Kind.BAD_CLOCK, e.cid(), "links to " + link + ", whose time is not earlier");
    }
    if (rejected.containsKey(link)) {
      throw new LogVerificationException(
          Kind.DANGLING_LINK, e.cid(), "links to the rejected entry " + link);
    }
    throw new LogVerificationException(
        Kind.DANGLING_LINK,
        e.cid(),
        "links to " + link + (missing.contains(link) ? ", which was not found" : ", not an entry"));
  }

  /**
   * The skip links of an entry whose spine parent is {@code parent}: the entries 2, 4, 8, … back
   * along the spine. The entry 2^(k+1) back is the one 2^k back from the one 2^k back, so each link
   * comes from one look-up in the previous link's own refs.
   */
  List<Cid> skipLinks(Node parent) {
    List<Cid> refs = new ArrayList<>();
    if (parent == null || parent.spine() == null) {
      return refs;
    }
    refs.add(parent.spine());
    for (int k = 1; k < Entry.MAX_REFS; k++) {
      Node r = node(refs.get(k - 1));
      if (r == null || r.refs().size() < k) {
        break;
      }
      refs.add(r.refs().get(k - 1));
    }
    return refs;
  }

  Node node(Cid cid) {
    Node n = added.get(cid);
    return n != null ? n : known.apply(cid);
  }
}
