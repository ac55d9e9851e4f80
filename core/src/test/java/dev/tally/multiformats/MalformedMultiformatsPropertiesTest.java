package dev.tally.multiformats;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.crypto.PeerId;
import dev.tally.crypto.PeerIdFormatException;
import dev.tally.exchange.message.CidPrefix;
import dev.tally.exchange.message.MessageException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * CIDs, multihashes, multibase text, multiaddrs, peer ids and unsigned varints arrive from peers
 * (Bitswap, identify, the log) and from clients (every CID argument of the API and the gateway).
 * Random bytes, and truncations and mutations of valid encodings, fail only with the parser's own
 * exception, allocate in proportion to the input, and leave a buffer's position where it was.
 */
class MalformedMultiformatsPropertiesTest {

  private static final List<Long> HASHES =
      List.of(
          Multicodec.IDENTITY,
          Multicodec.SHA2_256,
          Multicodec.SHA2_512,
          Multicodec.BLAKE2B_256,
          Multicodec.BLAKE3);

  private static final List<Multibase> BASES = List.of(Multibase.values());

  @Property(tries = 400, seed = "4001")
  void malformedBinaryCidsFailOnlyWithCidFormatException(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] input = r.nextInt(5) == 0 ? randomBytes(r, r.nextInt(80)) : variant(cid(r).bytes(), r);
    check(CidFormatException.class, input, Cid::decode);
    check(MultihashException.class, input, Multihash::decode);
    int start = Math.min(input.length, r.nextInt(3));
    check(
        CidFormatException.class,
        input,
        b -> {
          ByteBuffer buf = ByteBuffer.wrap(b).position(start);
          try {
            Cid.read(buf);
          } catch (CidFormatException e) {
            assertEquals(start, buf.position(), "a failed read moves the buffer");
            throw e;
          }
        });
  }

  @Property(tries = 400, seed = "4002")
  void malformedCidTextFailsOnlyWithCidFormatException(@ForAll long seed) {
    Random r = new Random(seed);
    Cid cid = cid(r);
    String valid =
        cid.version() == 0 && r.nextBoolean()
            ? cid.toString()
            : cid.toV1().toString(BASES.get(r.nextInt(BASES.size())));
    String input = variant(valid, r);
    check(CidFormatException.class, input, Cid::parse);
    check(MultibaseException.class, input, Multibase::decode);
    check(PeerIdFormatException.class, input, PeerId::parse);
  }

  @Property(tries = 300, seed = "4003")
  void malformedMultiaddrsFailOnlyWithMultiaddrException(@ForAll long seed) {
    Random r = new Random(seed);
    Multiaddr valid = multiaddr(r);
    byte[] bytes = r.nextInt(5) == 0 ? randomBytes(r, r.nextInt(80)) : variant(valid.bytes(), r);
    check(MultiaddrException.class, bytes, Multiaddr::decode);
    check(MultiaddrException.class, variant(valid.toString(), r), Multiaddr::parse);
  }

  @Property(tries = 400, seed = "4004")
  void malformedVarintsFailOnlyWithVarintException(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] input =
        r.nextBoolean()
            ? randomBytes(r, r.nextInt(14))
            : variant(Varint.encode(r.nextLong() & Long.MAX_VALUE), r);
    check(VarintException.class, input, b -> Varint.decode(b, 0, b.length));
    check(VarintException.class, input, b -> Varint.decodedLength(b, 0, b.length));
    check(VarintException.class, input, b -> Varint.read(ByteBuffer.wrap(b)));
    check(
        IOException.class,
        input,
        b -> {
          try {
            Varint.read(new ByteArrayInputStream(b));
          } catch (VarintException e) {
            throw new IOException(e.getMessage(), e);
          } catch (EOFException e) {
            if (b.length != 0) {
              throw new AssertionError("EOF on a non-empty varint", e);
            }
          }
        });
    check(MessageException.class, input, CidPrefix::decode);
  }

  private static Cid cid(Random r) {
    byte[] data = randomBytes(r, r.nextInt(64));
    if (r.nextInt(3) == 0) {
      return Cid.v0(Multihash.sha256(data));
    }
    long codec =
        r.nextBoolean()
            ? List.of(Multicodec.RAW, Multicodec.DAG_PB, Multicodec.DAG_CBOR).get(r.nextInt(3))
            : r.nextLong() & Long.MAX_VALUE;
    return Cid.v1(codec, Multihash.sum(HASHES.get(r.nextInt(HASHES.size())), data));
  }

  private static Multiaddr multiaddr(Random r) {
    String[] choices = {
      "/ip4/127.0.0.1/tcp/4001",
      "/ip6/::1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
      "/dns4/example.com/tcp/443/wss",
      "/ip4/10.0.0.1/udp/4001/quic-v1/webtransport",
      "/ip6zone/x/ip6/fe80::1/tcp/1/p2p-circuit",
      "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
      "/ip4/1.2.3.4/udp/1/quic-v1/webtransport"
          + "/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ"
    };
    Multiaddr a = Multiaddr.parse(choices[r.nextInt(choices.length)]);
    return r.nextBoolean() ? a : a.encapsulate(Multiaddr.parse(choices[r.nextInt(2)]));
  }
}
