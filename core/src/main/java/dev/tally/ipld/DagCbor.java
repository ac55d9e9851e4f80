package dev.tally.ipld;

import dev.tally.multiformats.Multicodec;

/**
 * DAG-CBOR (multicodec 0x71), strict per the IPLD specification: canonical key order (length-first,
 * then bytewise), shortest integer and length forms, only tag 42, 64-bit floats only, no NaN or
 * Infinity, no indefinite lengths, no duplicate keys, no trailing bytes.
 */
public final class DagCbor {
  /** Nesting limit that keeps recursion well inside a default thread stack. */
  public static final int DEFAULT_MAX_DEPTH = 512;

  public static final long CODE = Multicodec.DAG_CBOR;

  /** The codec, for lookup by code in {@link Codecs}. */
  public static final Codec CODEC = Codec.of(CODE, "dag-cbor", DagCbor::encode, DagCbor::decode);

  private DagCbor() {}

  /** The canonical DAG-CBOR bytes of {@code node}. */
  public static byte[] encode(IpldNode node) {
    DagCborWriter w = new DagCborWriter(256, DEFAULT_MAX_DEPTH);
    w.write(node, 0);
    return w.toByteArray();
  }

  /** Decodes exactly one canonical DAG-CBOR item spanning all of {@code data}. */
  public static IpldNode decode(byte[] data) {
    return decode(data, DEFAULT_MAX_DEPTH);
  }

  /** As {@link #decode(byte[])}, refusing lists and maps nested deeper than {@code maxDepth}. */
  public static IpldNode decode(byte[] data, int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
    }
    return new DagCborReader(data, maxDepth).readWhole();
  }
}
