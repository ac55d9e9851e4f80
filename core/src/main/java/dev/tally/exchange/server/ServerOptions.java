package dev.tally.exchange.server;

/**
 * Limits of the Bitswap server.
 *
 * @param maxWantlistEntries wants kept per peer; more are dropped (boxo: 1024)
 * @param workers blockstore lookups running at once, across all peers
 * @param maxTasksPerBatch wants answered by one lookup batch
 * @param targetMessageBytes block bytes per response message (one bigger block still goes alone)
 * @param inlineHaveLimit a want-have for a block at most this big is answered with the block
 */
public record ServerOptions(
    int maxWantlistEntries,
    int workers,
    int maxTasksPerBatch,
    int targetMessageBytes,
    int inlineHaveLimit) {

  public ServerOptions {
    if (maxWantlistEntries < 1 || workers < 1 || maxTasksPerBatch < 1 || targetMessageBytes < 1) {
      throw new IllegalArgumentException("server limits must be positive");
    }
    if (inlineHaveLimit < 0) {
      throw new IllegalArgumentException("inlineHaveLimit must not be negative");
    }
  }

  public static ServerOptions defaults() {
    return new ServerOptions(1024, 4, 32, 512 * 1024, 1024);
  }
}
