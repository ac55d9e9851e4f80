package dev.tally.lending.write;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.IpldNode;
import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.state.Flagged;
import dev.tally.lending.state.LendingEntry;
import dev.tally.lending.state.LendingFold;
import dev.tally.lending.state.LendingState;
import dev.tally.log.Entry;
import dev.tally.log.Log;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.List;
import java.util.Optional;

/**
 * Appends lending records to a log after judging them as every peer's fold will: a record that
 * would be flagged (unknown loan, wrong status or currency, overflow, missing role, …) is refused
 * with the same reason and never reaches the log.
 */
public final class LendingWriter {
  private final Log log;
  private final Ed25519PrivateKey key;

  public LendingWriter(Log log, Ed25519PrivateKey key) {
    this.log = log;
    this.key = key;
  }

  /** The state of the local replica at its current heads. */
  public LendingState state() {
    return state(log);
  }

  /** The state of {@code log} at its current heads. */
  public static LendingState state(Log log) {
    LendingFold fold = new LendingFold();
    fold.addAll(entries(log));
    return fold.state(log.heads());
  }

  private static List<LendingEntry> entries(Log log) {
    return log.traverse().map(LendingEntry::of).toList();
  }

  /**
   * Why the fold would flag {@code record} if this node appended it now, or empty if it would not.
   */
  public Optional<String> check(IpldNode record) {
    long time = 1;
    for (Cid h : log.heads()) {
      time = Math.max(time, log.get(h).map(Entry::time).orElse(0L) + 1);
    }
    byte[] bytes = dev.tally.ipld.DagCbor.encode(record);
    // The candidate's CID is unknown until it is signed; it only breaks ties between entries of one
    // author at one time, and this node writes one entry per tick.
    Cid provisional = Cid.v1(dev.tally.ipld.DagCbor.CODE, Multihash.sha256(bytes));
    LendingEntry candidate = new LendingEntry(provisional, time, key.publicKey().raw(), record);
    LendingFold fold = new LendingFold();
    fold.addAll(entries(log));
    fold.add(candidate);
    return fold.state(List.of()).flagged().stream()
        .filter(f -> f.entry().equals(provisional))
        .map(Flagged::reason)
        .findFirst();
  }

  /**
   * Appends {@code record} signed by this node's key.
   *
   * @throws LendingRefusedException with the reason the fold would flag it
   */
  public Entry append(LendingRecord record) {
    return appendNode(record.encode());
  }

  /** As {@link #append}, for a record given as a data-model node (e.g. from DAG-JSON). */
  public Entry appendNode(IpldNode record) {
    Optional<String> why = check(record);
    if (why.isPresent()) {
      throw new LendingRefusedException("refused: " + why.get());
    }
    return log.append(record, key);
  }
}
