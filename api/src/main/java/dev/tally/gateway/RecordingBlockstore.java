package dev.tally.gateway;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A read-only view of a blockstore that remembers the blocks read through it, in order, and the
 * first CID it could not find: path resolution through it yields the blocks a trustless client
 * needs to verify the path, and tells "absent" apart from "malformed".
 */
final class RecordingBlockstore implements Blockstore {
  private final Blockstore store;
  private final List<Block> read = new ArrayList<>();
  private Optional<Cid> missing = Optional.empty();

  RecordingBlockstore(Blockstore store) {
    this.store = store;
  }

  List<Block> read() {
    return List.copyOf(read);
  }

  Optional<Cid> missing() {
    return missing;
  }

  @Override
  public boolean has(Cid cid) {
    return store.has(cid);
  }

  @Override
  public Optional<Block> get(Cid cid) {
    Optional<Block> block = store.get(cid);
    if (block.isPresent()) {
      read.add(block.get());
    } else if (missing.isEmpty()) {
      missing = Optional.of(cid);
    }
    return block;
  }

  @Override
  public void put(Block block) {
    throw new UnsupportedOperationException("the gateway is read-only");
  }

  @Override
  public void putAll(Collection<Block> blocks) {
    throw new UnsupportedOperationException("the gateway is read-only");
  }

  @Override
  public boolean delete(Cid cid) {
    throw new UnsupportedOperationException("the gateway is read-only");
  }

  @Override
  public long size() {
    return store.size();
  }

  @Override
  public long totalBytes() {
    return store.totalBytes();
  }

  @Override
  public Stream<Multihash> keys() {
    return store.keys();
  }

  /** The underlying store belongs to the node; closing the view leaves it open. */
  @Override
  public void close() {}
}
