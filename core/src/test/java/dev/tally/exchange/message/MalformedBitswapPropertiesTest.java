package dev.tally.exchange.message;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.hugeVarint;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Bitswap messages and their length-prefixed frames from a hostile peer, with oversized length
 * prefixes spliced in anywhere: only {@link MessageException}, and allocation bounded by the bytes
 * received (plus, for the frame decoder, one frame of its configured limit).
 */
class MalformedBitswapPropertiesTest {
  private final MessageCodec codec = new MessageCodec(MessageLimits.defaults());

  @Property(tries = 200, seed = "4141")
  void mutatedMessagesAndFramesFailOnlyWithMessageExceptionWithinTheirBounds(@ForAll long seed) {
    Random r = new Random(seed);
    Block a = Block.create(Multicodec.RAW, randomBytes(r, r.nextInt(200)));
    Block b = Block.create(Multicodec.DAG_CBOR, new byte[] {(byte) 0xa0});
    BitswapMessage m =
        new BitswapMessage(
            List.of(WantEntry.wantBlock(a.cid(), 3), WantEntry.wantHave(b.cid(), 1)),
            r.nextBoolean(),
            List.of(Payload.of(a)),
            List.of(new BlockPresence(b.cid(), PresenceType.DONT_HAVE)),
            r.nextInt(1000));
    byte[] body = codec.encode(m, ProtocolVersion.V1_2_0);
    byte[] input = variant(body, r);
    check(MessageException.class, input, x -> codec.decode(x).blocks().forEach(Payload::toBlock));
    int max = 1 << 16;
    byte[] framed =
        Buffer.buffer(
                r.nextBoolean() ? hugeVarint(r) : dev.tally.multiformats.Varint.encode(body.length))
            .appendBytes(body)
            .getBytes();
    check(
        MessageException.class,
        variant(framed, r),
        max,
        x -> {
          FrameDecoder d = new FrameDecoder(max);
          d.feed(Buffer.buffer(x));
          while (d.next().isPresent()) {
            // drain
          }
        });
  }
}
