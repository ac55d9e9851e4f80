package dev.tally.unixfs;

import dev.tally.multiformats.Cid;

/**
 * One imported file or directory, as {@code ipfs add} reports it.
 *
 * @param path the name relative to the import root ('/'-separated), or the given name for a stream
 * @param cid the node's CID
 * @param size cumulative DAG size in bytes (what a parent link's Tsize holds)
 */
public record ImportedEntry(String path, Cid cid, long size) {
  @Override
  public String toString() {
    return cid + " " + path;
  }
}
