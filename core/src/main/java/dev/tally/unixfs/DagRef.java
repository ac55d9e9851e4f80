package dev.tally.unixfs;

import dev.tally.multiformats.Cid;

/**
 * A built node as its parent links to it.
 *
 * @param cid the node's CID
 * @param tsize cumulative size of the node's DAG in bytes (the dag-pb link Tsize)
 * @param contentSize file bytes under the node (the parent's blocksize entry); 0 for directories
 */
record DagRef(Cid cid, long tsize, long contentSize) {}
