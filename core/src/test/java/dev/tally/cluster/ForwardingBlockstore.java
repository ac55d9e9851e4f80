package dev.tally.cluster;

import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;

/** A blockstore that passes every call to another: tests override what a peer would change. */
public class ForwardingBlockstore implements Blockstore {
  private final Blockstore to;

  public ForwardingBlockstore(Blockstore to) {
    this.to = to;
  }

  @Override
  public boolean has(Cid cid) {
    return to.has(cid);
  }

  @Override
  public Optional<Block> get(Cid cid) {
    return to.get(cid);
  }

  @Override
  public void put(Block block) {
    to.put(block);
  }

  @Override
  public void putAll(Collection<Block> blocks) {
    to.putAll(blocks);
  }

  @Override
  public boolean delete(Cid cid) {
    return to.delete(cid);
  }

  @Override
  public long size() {
    return to.size();
  }

  @Override
  public long totalBytes() {
    return to.totalBytes();
  }

  @Override
  public Stream<Multihash> keys() {
    return to.keys();
  }

  @Override
  public void close() {}
}
