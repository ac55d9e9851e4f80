package dev.tally.log.sync;

/**
 * Where the replication of one log stands on this node.
 *
 * @param known entries in the local replica
 * @param fetched entry blocks received from peers since the node started
 * @param verified received entries that passed every check and were stored
 * @param rejected received entries refused (never stored)
 * @param remaining entries the peer answering the current request still has to send (0 when idle)
 * @param syncing whether a delta request is in flight
 * @param peers peers that announced heads of this log
 */
public record SyncProgress(
    long known,
    long fetched,
    long verified,
    long rejected,
    long remaining,
    boolean syncing,
    int peers) {}
