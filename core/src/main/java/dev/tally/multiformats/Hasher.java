package dev.tally.multiformats;

import java.nio.ByteBuffer;

/**
 * Streaming multihash computation for inputs too large to hold at once. Obtain one from {@link
 * Multihash#hasher(long)}; an instance is not thread-safe and {@link #digest()} resets it.
 */
public interface Hasher {
  /** Multicodec code of the hash function this hasher computes. */
  long code();

  Hasher update(byte[] data, int off, int len);

  default Hasher update(byte[] data) {
    return update(data, 0, data.length);
  }

  /** Consumes the buffer's remaining bytes, advancing its position to its limit. */
  Hasher update(ByteBuffer data);

  /** Finishes the hash over everything fed so far and resets this hasher for reuse. */
  Multihash digest();
}
