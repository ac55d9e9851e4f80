package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The total order every replica gives a log's entries: Lamport time, then the author's key bytes
 * (unsigned), then the entry CID's bytes. An entry always sorts after everything it links to, since
 * its time exceeds theirs.
 */
public final class EntryOrder {
  /** Ascending total order over entries. */
  public static final Comparator<Entry> ENTRIES =
      (a, b) -> compare(a.time(), a.authorUnsafe(), a.cid(), b.time(), b.authorUnsafe(), b.cid());

  private EntryOrder() {}

  static int compare(long t1, byte[] a1, Cid c1, long t2, byte[] a2, Cid c2) {
    int c = Long.compare(t1, t2);
    if (c != 0) {
      return c;
    }
    c = Arrays.compareUnsigned(a1, a2);
    return c != 0 ? c : c1.compareTo(c2);
  }
}
