package dev.tally.log;

import dev.tally.multiformats.Cid;
import java.util.List;

/**
 * What the log keeps in memory per verified entry: enough to order, traverse and link, without the
 * record. {@code spine} is the greatest of {@code next} in the total order, or null for a root;
 * {@code writers} is who may write in the causal past of the entry's children; {@code checkpoint}
 * whether its record is a checkpoint (so endorsements can be checked without reading records).
 */
record Node(
    Cid cid,
    long time,
    byte[] author,
    List<Cid> next,
    List<Cid> refs,
    Cid spine,
    Writers writers,
    boolean checkpoint)
    implements Comparable<Node> {

  static Node of(Entry e, Cid spine, Writers writers) {
    return new Node(
        e.cid(),
        e.time(),
        e.authorUnsafe(),
        e.next(),
        e.refs(),
        spine,
        writers,
        CheckpointRecords.isCheckpoint(e.record()));
  }

  @Override
  public int compareTo(Node o) {
    return EntryOrder.compare(time, author, cid, o.time, o.author, o.cid);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Node other && other.cid.equals(cid);
  }

  @Override
  public int hashCode() {
    return cid.hashCode();
  }

  @Override
  public String toString() {
    return cid + "@" + time;
  }
}
