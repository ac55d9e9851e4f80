package dev.tally.log.sync;

import dev.tally.multiformats.Cid;
import java.util.List;

/** The messages of {@code /tally/log/1.0.0}; see {@link SyncCodec} for their encoding. */
public sealed interface SyncMessage {
  /** The sender's heads of one log it holds. */
  record Heads(Cid log, List<Cid> heads) implements SyncMessage {
    public Heads {
      heads = List.copyOf(heads);
    }
  }

  /**
   * Asks for the entries reachable from {@code want} and not from {@code have}, oldest first.
   *
   * @param have entries the sender holds (its heads and some of their ancestors)
   * @param max most entries the sender accepts in answer to this request
   */
  record Want(Cid log, List<Cid> have, List<Cid> want, long max) implements SyncMessage {
    public Want {
      have = List.copyOf(have);
      want = List.copyOf(want);
    }
  }

  /**
   * A batch of a delta: entry blocks (DAG-CBOR bytes; the receiver derives their CIDs) in ascending
   * total order.
   *
   * @param remaining entries of the delta after this batch
   */
  record Entries(List<byte[]> blocks, long remaining) implements SyncMessage {
    public Entries {
      blocks = List.copyOf(blocks);
    }
  }

  /**
   * Ends a delta.
   *
   * @param sent entries sent in answer to the request
   * @param error why the request failed; empty when it did not
   */
  record Done(long sent, String error) implements SyncMessage {}
}
