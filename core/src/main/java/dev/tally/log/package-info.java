/**
 * The lending log: a signed Merkle-DAG of entries named by its manifest's CID, with strict entry
 * decoding, a deterministic total order, Merkle-CRDT joins and whole-replica verification.
 */
package dev.tally.log;
