package dev.tally.car;

import dev.tally.ipld.CodecException;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CAR header block {@code {roots: [&Any], version: Int}} in canonical DAG-CBOR, through the
 * shared strict codec; this class adds the shape checks (exactly those two keys, links only).
 */
final class HeaderCodec {
  private static final String ROOTS = "roots";
  private static final String VERSION = "version";

  /** The header map holds a list of links: deeper nesting is never a CAR header. */
  private static final int MAX_DEPTH = 2;

  /** The body of the CARv2 pragma: {@code {version: 2}}, the only accepted header without roots. */
  static final byte[] V2_PRAGMA_BODY = {(byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02};

  record Decoded(long version, List<Cid> roots) {}

  private HeaderCodec() {}

  static byte[] encode(List<Cid> roots) {
    List<IpldNode> links = new ArrayList<>(roots.size());
    for (Cid root : roots) {
      links.add(IpldNode.of(root));
    }
    return DagCbor.encode(IpldNode.map().put(ROOTS, IpldNode.list(links)).put(VERSION, 1).build());
  }

  /**
   * Decodes a header block. Returns version 2 with no roots only for the exact CARv2 pragma body.
   *
   * @param at archive offset of the header block, for error messages
   */
  static Decoded decode(byte[] bytes, long at) {
    if (Arrays.equals(bytes, V2_PRAGMA_BODY)) {
      return new Decoded(2, List.of());
    }
    IpldNode node;
    try {
      node = DagCbor.decode(bytes, MAX_DEPTH);
    } catch (CodecException e) {
      throw CarException.at(at, "CAR header is not canonical DAG-CBOR: " + e.getMessage(), e);
    }
    if (node.kind() != IpldNode.Kind.MAP) {
      throw CarException.at(at, "CAR header is a " + kind(node) + ", expected a map");
    }
    IpldMap map = node.asMap();
    if (map.size() != 2 || !map.containsKey(ROOTS) || !map.containsKey(VERSION)) {
      throw CarException.at(
          at, "CAR header has the keys " + map.keys() + ", expected exactly [roots, version]");
    }
    IpldNode version = map.get(VERSION).orElseThrow();
    IpldNode roots = map.get(ROOTS).orElseThrow();
    if (version.kind() != IpldNode.Kind.INT || version.asBigInteger().bitLength() > 63) {
      throw CarException.at(at, "CAR header version is " + version + ", expected an integer");
    }
    if (version.asLong() == 2) {
      throw CarException.at(
          at, "CARv2 must start with the exact 11-byte pragma, not a longer {version: 2} header");
    }
    if (roots.kind() != IpldNode.Kind.LIST) {
      throw CarException.at(at, "CAR header roots is a " + kind(roots) + ", expected a list");
    }
    List<Cid> cids = new ArrayList<>(roots.asList().size());
    for (IpldNode root : roots.asList()) {
      if (root.kind() != IpldNode.Kind.LINK) {
        throw CarException.at(
            at, "CAR header root " + cids.size() + " is a " + kind(root) + ", expected a CID");
      }
      cids.add(root.asLink());
    }
    return new Decoded(version.asLong(), cids);
  }

  private static String kind(IpldNode node) {
    return node.kind().name().toLowerCase(java.util.Locale.ROOT);
  }
}
