package dev.tally.lending.state;

import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.PartyId;
import dev.tally.log.Entry;
import dev.tally.multiformats.Cid;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One verified log entry as the fold reads it: its CID, Lamport time, author key and record. The
 * log has checked signature and writer; the fold judges only the record.
 */
public record LendingEntry(Cid cid, long time, byte[] author, IpldNode record) {
  /** The log's total order: time, then author key bytes (unsigned), then CID. */
  public static final Comparator<LendingEntry> ORDER =
      (a, b) -> {
        int c = Long.compare(a.time, b.time);
        if (c != 0) {
          return c;
        }
        c = Arrays.compareUnsigned(a.author, b.author);
        return c != 0 ? c : a.cid.compareTo(b.cid);
      };

  public LendingEntry {
    author = author.clone();
  }

  public static LendingEntry of(Entry e) {
    return new LendingEntry(e.cid(), e.time(), e.author(), e.record());
  }

  public PartyId party() {
    return PartyId.ofRawKey(author);
  }

  @Override
  public byte[] author() {
    return author.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LendingEntry e && e.cid.equals(cid);
  }

  @Override
  public int hashCode() {
    return cid.hashCode();
  }
}
