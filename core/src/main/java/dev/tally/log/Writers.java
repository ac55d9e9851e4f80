package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may write at one point of a log: the manifest's writers and admins, changed by the admission
 * entries in that point's causal past, applied in the total order. Immutable; each entry's node
 * shares its parent's instance unless the entry is itself an admission or merges branches whose
 * admissions differ, so memory stays one reference per entry.
 */
final class Writers {
  /** An admission entry: who wrote it, where it sorts, and what it changed. */
  record Event(Cid cid, long time, byte[] author, boolean added, ByteBuffer key)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return EntryOrder.compare(time, author, cid, o.time, o.author, o.cid);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Event other && other.cid.equals(cid);
    }

    @Override
    public int hashCode() {
      return cid.hashCode();
    }
  }

  private final Set<ByteBuffer> base;
  private final List<Event> events;
  private final Set<ByteBuffer> keys;

  private Writers(Set<ByteBuffer> base, List<Event> events, Set<ByteBuffer> keys) {
    this.base = base;
    this.events = events;
    this.keys = keys;
  }

  static Writers initial(LogManifest manifest) {
    Set<ByteBuffer> base = new HashSet<>();
    manifest.writers().forEach(k -> base.add(ByteBuffer.wrap(k.raw())));
    manifest.admins().forEach(k -> base.add(ByteBuffer.wrap(k.raw())));
    Set<ByteBuffer> frozen = Set.copyOf(base);
    return new Writers(frozen, List.of(), frozen);
  }

  boolean canWrite(byte[] author) {
    return keys.contains(ByteBuffer.wrap(author));
  }

  Set<ByteBuffer> keys() {
    return keys;
  }

  /**
   * The admission entry that made {@code key} a writer in this state: the last {@code WriterAdded}
   * of it in total order; empty when the key is not a writer here or comes from the manifest.
   */
  Optional<Cid> admittedBy(byte[] key) {
    ByteBuffer k = ByteBuffer.wrap(key);
    if (!keys.contains(k) || base.contains(k)) {
      return Optional.empty();
    }
    for (int i = events.size() - 1; i >= 0; i--) {
      Event e = events.get(i);
      if (e.added() && e.key().equals(k)) {
        return Optional.of(e.cid());
      }
    }
    return Optional.empty();
  }

  /** The state after {@code e}, an admission entry whose causal past is this state. */
  Writers after(Event e) {
    // e descends from every event here, so it sorts after all of them: append and apply.
    List<Event> ev = new ArrayList<>(events.size() + 1);
    ev.addAll(events);
    ev.add(e);
    Set<ByteBuffer> k = new HashSet<>(keys);
    if (e.added()) {
      k.add(e.key());
    } else {
      k.remove(e.key());
    }
    return new Writers(base, List.copyOf(ev), Set.copyOf(k));
  }

  /** The state at an entry whose parents are at {@code parents}: the union of their pasts. */
  static Writers merge(Writers first, List<Writers> parents) {
    Writers widest = first;
    for (Writers p : parents) {
      if (p.events.size() > widest.events.size()) {
        widest = p;
      }
    }
    boolean same = true;
    for (Writers p : parents) {
      if (p != widest && !(p.events.size() <= widest.events.size() && covers(widest, p))) {
        same = false;
        break;
      }
    }
    if (same) {
      return widest;
    }
    Set<Event> union = new HashSet<>();
    for (Writers p : parents) {
      union.addAll(p.events);
    }
    List<Event> sorted = new ArrayList<>(union);
    sorted.sort(null);
    Set<ByteBuffer> k = new HashSet<>(first.base);
    for (Event e : sorted) {
      if (e.added()) {
        k.add(e.key());
      } else {
        k.remove(e.key());
      }
    }
    return new Writers(first.base, List.copyOf(sorted), Set.copyOf(k));
  }

  private static boolean covers(Writers a, Writers b) {
    return b.events.isEmpty() || new HashSet<>(a.events).containsAll(b.events);
  }
}
