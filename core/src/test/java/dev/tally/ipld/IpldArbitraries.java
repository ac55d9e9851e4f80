package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random IPLD data-model values for property tests. */
final class IpldArbitraries {
  private IpldArbitraries() {}

  static Arbitrary<IpldNode> nodes() {
    return Arbitraries.recursive(
        IpldArbitraries::scalars,
        inner -> Arbitraries.oneOf(inner, lists(inner), maps(inner)),
        0,
        4);
  }

  static Arbitrary<IpldNode> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.just(IpldNode.ofNull()),
        Arbitraries.of(true, false).map(IpldNode::of),
        integers(),
        floats(),
        strings().map(IpldNode::of),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(IpldNode::of),
        links());
  }

  static Arbitrary<IpldNode> integers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(IpldNode::of),
        Arbitraries.longs().between(-300, 70_000).map(IpldNode::of),
        // Beyond the long range, both signs: what DAG-CBOR's 64-bit arguments allow.
        Arbitraries.bigIntegers()
            .between(BigInteger.valueOf(Long.MAX_VALUE), IpldInt.MAX)
            .map(IpldNode::of),
        Arbitraries.bigIntegers()
            .between(IpldInt.MIN, BigInteger.valueOf(Long.MIN_VALUE))
            .map(IpldNode::of));
  }

  static Arbitrary<IpldNode> floats() {
    return Arbitraries.oneOf(
            Arbitraries.doubles(),
            Arbitraries.longs().map(Double::longBitsToDouble),
            Arbitraries.of(
                0.0, -0.0, 1.0, 1e16, 1e21, 1e-5, 1e-7, Double.MIN_VALUE, Double.MAX_VALUE))
        .filter(Double::isFinite)
        .map(IpldNode::of);
  }

  static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20),
            Arbitraries.strings().all().ofMaxLength(12),
            Arbitraries.of("", "/", "bytes", "a", "aa", "b", "\u0000", "\"\\", "𐅑", "\uffff"))
        .filter(s -> Utf8.unpairedSurrogateIndex(s) < 0);
  }

  static Arbitrary<IpldNode> links() {
    Arbitrary<byte[]> content = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
    Arbitrary<Long> codec = Arbitraries.of(Multicodec.RAW, Multicodec.DAG_CBOR, Multicodec.DAG_PB);
    Arbitrary<Long> hash = Arbitraries.of(Multicodec.SHA2_256, Multicodec.SHA2_512, 0L);
    return Combinators.combine(content, codec, hash, Arbitraries.of(true, false))
        .as(
            (data, c, h, v0) -> {
              if (v0) {
                return IpldNode.of(Cid.v0(Multihash.sha256(data)));
              }
              Multihash mh = h == 0 ? Multihash.of(0, data) : Multihash.sum(h, data);
              return IpldNode.of(Cid.v1(c, mh));
            });
  }

  static Arbitrary<IpldNode> lists(Arbitrary<IpldNode> elements) {
    return elements.list().ofMaxSize(5).map(IpldNode::list);
  }

  static Arbitrary<IpldNode> maps(Arbitrary<IpldNode> values) {
    return Arbitraries.maps(strings(), values).ofMaxSize(5).map(IpldMap::of);
  }
}
