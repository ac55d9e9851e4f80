package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A content-addressed block: bytes and the CID they hash to. Immutable; the bytes are never exposed
 * mutably. Equality is by CID and bytes.
 */
public final class Block {
  private final Cid cid;
  private final byte[] data;

  private Block(Cid cid, byte[] data) {
    this.cid = cid;
    this.data = data;
  }

  /** A block whose CID the caller vouches for (bytes read from our own store, or just hashed). */
  public static Block of(Cid cid, byte[] data) {
    return new Block(requireCid(cid), data.clone());
  }

  /**
   * Takes ownership of {@code data} without copying: for hot paths (importers, stores) that hand
   * over a freshly allocated array and never touch it again.
   */
  public static Block ofOwned(Cid cid, byte[] data) {
    return new Block(requireCid(cid), data);
  }

  /** A block from an untrusted source: re-hashes the bytes and refuses them if they differ. */
  public static Block verified(Cid cid, byte[] data) {
    requireCid(cid);
    if (!cid.multihash().matches(data)) {
      throw new BlockVerificationException(cid);
    }
    return new Block(cid, data.clone());
  }

  /** Hashes {@code data} with sha2-256 and names it by a CIDv1 of {@code codec}. */
  public static Block create(long codec, byte[] data) {
    byte[] copy = data.clone();
    return new Block(Cid.v1(codec, Multihash.sum(Multicodec.SHA2_256, copy)), copy);
  }

  private static Cid requireCid(Cid cid) {
    if (cid == null) {
      throw new IllegalArgumentException("a block needs a CID");
    }
    return cid;
  }

  public Cid cid() {
    return cid;
  }

  public int size() {
    return data.length;
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return data.clone();
  }

  /** A read-only view of the bytes, positioned at 0. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer();
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Block other && cid.equals(other.cid) && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return cid.hashCode();
  }

  @Override
  public String toString() {
    return "Block[" + cid + ", " + data.length + " bytes]";
  }
}
