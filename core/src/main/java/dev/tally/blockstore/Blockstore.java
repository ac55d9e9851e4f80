package dev.tally.blockstore;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Stores blocks keyed by their multihash, so a CIDv0 and a CIDv1 of the same bytes (and the same
 * bytes under different codecs) are one stored block, as in Kubo. Identity-multihash CIDs are never
 * stored: their bytes are the digest. Calls may block on disk: call from worker threads, never from
 * an event loop.
 */
public interface Blockstore extends AutoCloseable {

  boolean has(Cid cid);

  /** The block, named by the CID asked for (not by the CID it was stored under). */
  Optional<Block> get(Cid cid);

  void put(Block block);

  /** Stores every block or none (one commit). */
  void putAll(Collection<Block> blocks);

  /** Returns whether a block was removed. */
  boolean delete(Cid cid);

  /** Number of stored blocks, maintained incrementally. */
  long size();

  /** Sum of stored block sizes in bytes, maintained incrementally. */
  long totalBytes();

  /** Multihashes of every stored block; the caller closes the stream. */
  Stream<Multihash> keys();

  @Override
  void close();
}
