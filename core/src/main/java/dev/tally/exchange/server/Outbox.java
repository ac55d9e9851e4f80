package dev.tally.exchange.server;

import dev.tally.exchange.message.BitswapMessage;
import dev.tally.exchange.message.BlockPresence;
import dev.tally.ipld.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer's answers read and not yet sent. Reads finish one by one on worker threads; the answers
 * that finish within one turn of the exchange context leave in one message, so concurrency does not
 * turn into one message per block. Confined to the exchange context.
 */
final class Outbox {
  private List<Block> blocks = new ArrayList<>();
  private List<BlockPresence> presences = new ArrayList<>();
  private long blockBytes;

  /** A flush is already queued on the context. */
  boolean flushQueued;

  boolean isEmpty() {
    return blocks.isEmpty() && presences.isEmpty();
  }

  /** Whether {@code size} more block bytes would take the message past {@code target}. */
  boolean wouldExceed(long size, long target) {
    return !blocks.isEmpty() && blockBytes + size > target;
  }

  void add(Block b) {
    blocks.add(b);
    blockBytes += b.size();
  }

  void add(BlockPresence p) {
    presences.add(p);
  }

  long blockBytes() {
    return blockBytes;
  }

  int blockCount() {
    return blocks.size();
  }

  /** The queued answers as one response; the outbox is empty afterwards. */
  BitswapMessage drain() {
    BitswapMessage m = BitswapMessage.response(blocks, presences);
    blocks = new ArrayList<>();
    presences = new ArrayList<>();
    blockBytes = 0;
    return m;
  }
}
