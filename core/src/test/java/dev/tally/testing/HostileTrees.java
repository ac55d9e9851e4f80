package dev.tally.testing;

import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile variants of a valid IPLD value, mutated as a tree rather than as bytes: what a peer or a
 * client can send in well-formed DAG-CBOR or DAG-JSON that a record decoder must still refuse (a
 * value of the wrong kind, a missing or extra key, a huge or negative number, a list where a map
 * belongs).
 */
public final class HostileTrees {
  private HostileTrees() {}

  /** One to three {@link #variant}s of {@code node} in a row. */
  public static IpldNode variants(IpldNode node, Random r) {
    IpldNode out = node;
    for (int i = r.nextInt(3); i >= 0; i--) {
      out = variant(out, r);
    }
    return out;
  }

  /** Replaces one node somewhere in the tree, or drops or adds a map key or a list item. */
  public static IpldNode variant(IpldNode node, Random r) {
    return mutate(node, r, 0);
  }

  private static IpldNode mutate(IpldNode node, Random r, int depth) {
    boolean here = r.nextInt(4) == 0 || depth > 6;
    if (node instanceof IpldMap m && !m.isEmpty() && !here) {
      Map<String, IpldNode> out = new LinkedHashMap<>(m.toJavaMap());
      List<String> keys = new ArrayList<>(out.keySet());
      String key = keys.get(r.nextInt(keys.size()));
      switch (r.nextInt(6)) {
        case 0 -> out.remove(key);
        case 1 -> out.put("x" + r.nextInt(3), value(r));
        default -> out.put(key, mutate(out.get(key), r, depth + 1));
      }
      return IpldMap.of(out);
    }
    if (node instanceof IpldList l && l.size() > 0 && !here) {
      List<IpldNode> out = new ArrayList<>(l.asList());
      int at = r.nextInt(out.size());
      switch (r.nextInt(5)) {
        case 0 -> out.remove(at);
        case 1 -> out.add(at, value(r));
        default -> out.set(at, mutate(out.get(at), r, depth + 1));
      }
      return IpldList.of(out);
    }
    return value(r);
  }

  /** A random value of any kind, biased to the edges a decoder must check. */
  public static IpldNode value(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> IpldNode.ofNull();
      case 1 -> IpldNode.of(r.nextBoolean());
      case 2 -> IpldNode.of(r.nextLong());
      case 3 -> IpldNode.of(-1 - r.nextInt(10));
      case 4 -> IpldNode.of(new BigInteger("18446744073709551615"));
      case 5 -> IpldNode.of(r.nextDouble() * 1e6);
      case 6 ->
          IpldNode.of(
              List.of("", "EUR", "2026-02-30", "1e9", "-0.00", "x".repeat(300)).get(r.nextInt(6)));
      case 7 -> IpldNode.of(new byte[r.nextInt(40)]);
      case 8 -> IpldNode.of(Cid.v1(0x71, Multihash.sha256(new byte[] {(byte) r.nextInt()})));
      case 9 -> IpldNode.list(IpldNode.of(1), IpldNode.of("a"));
      case 10 -> IpldMap.builder().put("amount", "10.00").put("currency", "EUR").build();
      default -> IpldNode.map().build();
    };
  }
}
