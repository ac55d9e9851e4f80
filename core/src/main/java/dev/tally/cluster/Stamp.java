package dev.tally.cluster;

import dev.tally.log.Entry;
import dev.tally.multiformats.Cid;
import java.util.Arrays;

/**
 * Where an entry sits in the log's total order (Lamport time, author key bytes, CID): the version
 * of a last-writer-wins register. {@link #ORIGIN} sorts before every entry (the manifest's state).
 */
record Stamp(long time, byte[] author, Cid cid) implements Comparable<Stamp> {
  static final Stamp ORIGIN = new Stamp(0, new byte[0], null);

  static Stamp of(Entry e) {
    return new Stamp(e.time(), e.author(), e.cid());
  }

  @Override
  public int compareTo(Stamp o) {
    int c = Long.compare(time, o.time);
    if (c != 0) {
      return c;
    }
    c = Arrays.compareUnsigned(author, o.author);
    if (c != 0 || cid == null || o.cid == null) {
      return c != 0 ? c : (cid == null ? (o.cid == null ? 0 : -1) : 1);
    }
    return cid.compareTo(o.cid);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stamp s && compareTo(s) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(time) * 31 + Arrays.hashCode(author);
  }
}
