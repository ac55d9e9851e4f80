package dev.tally.lending.record;

import static dev.tally.testing.Hostile.check;

import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A record's structure, mutated as a tree rather than as bytes (a client's DAG-JSON or a writer's
 * entry can hold any well-formed value): a value of the wrong kind, a missing or extra key, a huge
 * or negative number, a list where a map belongs. Decoding fails only with {@link
 * RecordFormatException}, never with the data model's {@link IllegalStateException} or another
 * exception from below.
 */
class HostileRecordTreePropertiesTest {
  private static final List<LendingRecord> KINDS = LendingRecordTest.everyKind();

  @Property(tries = 600, seed = "4171")
  void recordsWithMistypedOrMissingFieldsFailOnlyWithRecordFormatException(@ForAll long seed) {
    Random r = new Random(seed);
    IpldNode tree = KINDS.get(r.nextInt(KINDS.size())).encode();
    for (int i = r.nextInt(3); i >= 0; i--) {
      tree = mutate(tree, r, 0);
    }
    IpldNode input = tree;
    check(RecordFormatException.class, DagCbor.encode(input), b -> LendingRecord.decode(input));
  }

  /** Replaces one node somewhere in the tree, or drops or adds a map key. */
  private static IpldNode mutate(IpldNode node, Random r, int depth) {
    boolean here = r.nextInt(4) == 0 || depth > 6;
    if (node instanceof IpldMap m && !m.isEmpty() && !here) {
      Map<String, IpldNode> out = new LinkedHashMap<>(m.toJavaMap());
      List<String> keys = new ArrayList<>(out.keySet());
      String key = keys.get(r.nextInt(keys.size()));
      switch (r.nextInt(6)) {
        case 0 -> out.remove(key);
        case 1 -> out.put("x" + r.nextInt(3), randomValue(r));
        default -> out.put(key, mutate(out.get(key), r, depth + 1));
      }
      return IpldMap.of(out);
    }
    if (node instanceof IpldList l && l.size() > 0 && !here) {
      List<IpldNode> out = new ArrayList<>(l.asList());
      int at = r.nextInt(out.size());
      switch (r.nextInt(5)) {
        case 0 -> out.remove(at);
        case 1 -> out.add(at, randomValue(r));
        default -> out.set(at, mutate(out.get(at), r, depth + 1));
      }
      return IpldList.of(out);
    }
    return randomValue(r);
  }

  private static IpldNode randomValue(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> IpldNode.ofNull();
      case 1 -> IpldNode.of(r.nextBoolean());
      case 2 -> IpldNode.of(r.nextLong());
      case 3 -> IpldNode.of(-1 - r.nextInt(10));
      case 4 -> IpldNode.of(new java.math.BigInteger("18446744073709551615"));
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
