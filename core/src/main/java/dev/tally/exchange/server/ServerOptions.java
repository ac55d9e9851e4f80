package dev.tally.exchange.server;

/**
 * Limits of the Bitswap server.
 *
 * @param maxWantlistEntries wants kept per peer; more are dropped (boxo: 1024)
 * @param workers blockstore reads in flight at once, across all peers (Kubo's {@code
 *     Internal.Bitswap.EngineBlockstoreWorkerCount}): a crowd of peers cannot make us start more
 * @param maxReadsPerPeer blockstore reads in flight at once for one peer: one slow read (a cold
 *     disk, a large block) holds up none of that peer's other wants, and a hostile peer with a
 *     thousand wants for slow blocks occupies at most this many of the {@code workers}
 * @param targetMessageBytes block bytes per response message (one bigger block still goes alone)
 * @param inlineHaveLimit a want-have for a block at most this big is answered with the block
 */
public record ServerOptions(
    int maxWantlistEntries,
    int workers,
    int maxReadsPerPeer,
    int targetMessageBytes,
    int inlineHaveLimit) {

  public ServerOptions {
    if (maxWantlistEntries < 1 || workers < 1 || maxReadsPerPeer < 1 || targetMessageBytes < 1) {
      throw new IllegalArgumentException(
          "server limits must be positive: maxWantlistEntries="
              + maxWantlistEntries
              + ", workers="
              + workers
              + ", maxReadsPerPeer="
              + maxReadsPerPeer
              + ", targetMessageBytes="
              + targetMessageBytes);
    }
    if (inlineHaveLimit < 0) {
      throw new IllegalArgumentException("inlineHaveLimit must not be negative");
    }
  }

  public static ServerOptions defaults() {
    return new ServerOptions(1024, 8, 4, 512 * 1024, 1024);
  }
}
