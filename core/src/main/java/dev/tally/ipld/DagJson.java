package dev.tally.ipld;

import dev.tally.multiformats.Multicodec;

/**
 * DAG-JSON (multicodec 0x0129). Encoding is canonical (keys in UTF-8 byte order, no whitespace,
 * links as {@code {"/": "<cid>"}}, bytes as {@code {"/": {"bytes": "<base64, no padding>"}}});
 * decoding accepts any key order and whitespace but nothing that is not DAG-JSON.
 */
public final class DagJson {
  public static final int DEFAULT_MAX_DEPTH = 512;

  public static final long CODE = Multicodec.DAG_JSON;

  public static final Codec CODEC = Codec.of(CODE, "dag-json", DagJson::encode, DagJson::decode);

  private DagJson() {}

  public static byte[] encode(IpldNode node) {
    return DagJsonWriter.encode(node, DEFAULT_MAX_DEPTH);
  }

  public static IpldNode decode(byte[] data) {
    return decode(data, DEFAULT_MAX_DEPTH);
  }

  public static IpldNode decode(byte[] data, int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
    }
    return new DagJsonReader(data, maxDepth).readWhole();
  }
}
