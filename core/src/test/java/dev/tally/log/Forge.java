package dev.tally.log;

import dev.tally.crypto.Ed25519PrivateKey;
import dev.tally.ipld.Block;
import dev.tally.ipld.DagCbor;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.security.SecureRandom;
import java.util.List;

/**
 * Builds entry blocks by hand, outside {@link Entry#sign}, so tests can make the entries a hostile
 * peer would: any time, any links, any key, a broken signature.
 */
final class Forge {
  private Forge() {}

  static Ed25519PrivateKey key(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    s[1] = (byte) (seed >> 8);
    s[31] = 7;
    return Ed25519PrivateKey.fromSeed(s);
  }

  static Ed25519PrivateKey randomKey() {
    return Ed25519PrivateKey.generate(new SecureRandom());
  }

  static IpldMap unsigned(
      Cid log, long time, List<Cid> next, List<Cid> refs, IpldNode record, byte[] author) {
    return IpldNode.map()
        .put("v", 1)
        .put("log", log)
        .put("clock", IpldNode.map().put("peer", author).put("time", time).build())
        .put("next", IpldNode.list(next.stream().map(c -> (IpldNode) IpldNode.of(c)).toList()))
        .put("refs", IpldNode.list(refs.stream().map(c -> (IpldNode) IpldNode.of(c)).toList()))
        .put("record", record)
        .put("author", author)
        .build();
  }

  static IpldMap withSig(IpldMap unsigned, byte[] sig) {
    IpldMap.Builder b = IpldNode.map();
    unsigned.entries().forEach(e -> b.put(e.getKey(), e.getValue()));
    return b.put("sig", sig).build();
  }

  /** A correctly signed entry block with whatever fields the caller chose. */
  static Block signed(
      Cid log, long time, List<Cid> next, List<Cid> refs, IpldNode record, Ed25519PrivateKey k) {
    IpldMap u =
        unsigned(log, time, next.stream().sorted().toList(), refs, record, k.publicKey().raw());
    return Block.create(DagCbor.CODE, DagCbor.encode(withSig(u, k.sign(DagCbor.encode(u)))));
  }

  static IpldNode record(String text) {
    return IpldNode.map().put("kind", "Note").put("text", text).build();
  }
}
