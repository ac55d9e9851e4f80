package dev.tally.exchange.message;

import dev.tally.ipld.Block;
import java.util.Objects;

/**
 * A block as it travels: its CID prefix and bytes, not yet hashed. {@link #toBlock()} hashes the
 * bytes, so the resulting block's CID always matches them.
 */
public final class Payload {
  private final CidPrefix prefix;
  private final byte[] data;

  private Payload(CidPrefix prefix, byte[] data) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.data = data;
  }

  /** Takes ownership of {@code data} (a freshly decoded array). */
  static Payload owned(CidPrefix prefix, byte[] data) {
    return new Payload(prefix, data);
  }

  public static Payload of(Block block) {
    return new Payload(CidPrefix.of(block.cid()), block.bytes());
  }

  public CidPrefix prefix() {
    return prefix;
  }

  public int size() {
    return data.length;
  }

  byte[] data() {
    return data;
  }

  /** Hashes the bytes (CPU-bound: off the event loop) into a block named by what they hash to. */
  public Block toBlock() {
    // Sharing the array is safe: neither the payload nor the block ever writes to it.
    return Block.ofOwned(prefix.sum(data), data);
  }

  @Override
  public String toString() {
    return "Payload(" + prefix + ", " + data.length + " bytes)";
  }
}
