package dev.tally.exchange.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  /** The empty UnixFS directory: well known as QmUNLL…, its dag-pb bytes are 0a 02 08 01. */
  private static final Cid EMPTY_DIR = Cid.parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");

  private static final byte[] EMPTY_DIR_BYTES = {0x0a, 0x02, 0x08, 0x01};

  /** The empty raw block (sha2-256 e3b0c442…), as Kubo and Helia name it. */
  private static final Cid EMPTY_RAW =
      Cid.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");

  private final MessageCodec codec = new MessageCodec(MessageLimits.defaults());

  private static byte[] field(int number, int wireType, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((number << 3) | wireType);
    if (wireType == 2) {
      out.write(value.length);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] varintField(int number, int value) {
    return new byte[] {(byte) (number << 3), (byte) value};
  }

  @Test
  void decodesAHandAssembledMessageByTheSpecFieldNumbers() {
    byte[] entry =
        concat(
            field(1, 2, EMPTY_RAW.bytes()),
            varintField(2, 7),
            varintField(4, 1),
            varintField(5, 1));
    byte[] wantlist = concat(field(1, 2, entry), varintField(2, 1));
    byte[] payload =
        concat(field(1, 2, new byte[] {0x01, 0x55, 0x12, 0x20}), field(2, 2, new byte[0]));
    byte[] presence = concat(field(1, 2, EMPTY_DIR.bytes()), varintField(2, 1));
    byte[] body =
        concat(
            field(1, 2, wantlist), field(3, 2, payload), field(4, 2, presence), varintField(5, 9));

    BitswapMessage m = codec.decode(body);

    assertEquals(List.of(new WantEntry(EMPTY_RAW, 7, false, WantType.HAVE, true)), m.wants());
    assertTrue(m.full());
    assertEquals(EMPTY_RAW, m.blocks().get(0).toBlock().cid());
    assertEquals(List.of(new BlockPresence(EMPTY_DIR, PresenceType.DONT_HAVE)), m.presences());
    assertEquals(9, m.pendingBytes());
  }

  @Test
  void readsBitswap100BlocksAsCidV0() {
    byte[] body = field(2, 2, EMPTY_DIR_BYTES);
    Block b = codec.decode(body).blocks().get(0).toBlock();
    assertEquals(EMPTY_DIR, b.cid());
    assertArrayEquals(EMPTY_DIR_BYTES, b.bytes());
  }

  @Test
  void writesOnlyCidV0BlocksAndNoHavesForBitswap100() {
    Block v0 = Block.of(EMPTY_DIR, EMPTY_DIR_BYTES);
    Block raw = Block.of(EMPTY_RAW, new byte[0]);
    BitswapMessage m =
        new BitswapMessage(
            List.of(WantEntry.wantHave(EMPTY_RAW, 1)),
            false,
            List.of(Payload.of(v0), Payload.of(raw)),
            List.of(new BlockPresence(EMPTY_RAW, PresenceType.HAVE)),
            0);
    byte[] body = codec.encode(m, ProtocolVersion.V1_0_0);
    byte[] entry = concat(field(1, 2, EMPTY_RAW.bytes()), varintField(2, 1));
    // Wantlist with one want-block entry (want-have downgraded), then the CIDv0 block in field 2.
    byte[] expected = concat(field(1, 2, field(1, 2, entry)), field(2, 2, EMPTY_DIR_BYTES));
    assertArrayEquals(expected, body);
  }

  @Test
  void roundTripsEveryFieldInBitswap120() {
    Block b = Block.create(Multicodec.RAW, "hello".getBytes(StandardCharsets.UTF_8));
    BitswapMessage m =
        new BitswapMessage(
            List.of(
                WantEntry.wantBlock(EMPTY_DIR, 3),
                WantEntry.wantHave(EMPTY_RAW, 2),
                WantEntry.cancel(b.cid())),
            true,
            List.of(Payload.of(b)),
            List.of(
                new BlockPresence(EMPTY_DIR, PresenceType.HAVE),
                new BlockPresence(EMPTY_RAW, PresenceType.DONT_HAVE)),
            42);
    BitswapMessage back = codec.decode(codec.encode(m, ProtocolVersion.V1_2_0));
    assertEquals(m.wants(), back.wants());
    assertEquals(m.presences(), back.presences());
    assertEquals(b, back.blocks().get(0).toBlock());
    assertTrue(back.full());
    assertEquals(42, back.pendingBytes());
  }

  @Test
  void refusesOversizedMessagesBlocksAndCids() {
    MessageCodec small = new MessageCodec(new MessageLimits(2048, 100, 64));
    assertThrows(MessageException.class, () -> small.decode(new byte[2049]));
    byte[] bigBlock =
        field(
            3,
            2,
            concat(field(1, 2, new byte[] {1, 0x55, 0x12, 0x20}), field(2, 2, new byte[101])));
    assertThrows(MessageException.class, () -> small.decode(bigBlock));
    byte[] longCid = new byte[100];
    longCid[0] = 1;
    byte[] entry = field(1, 2, longCid);
    assertThrows(MessageException.class, () -> small.decode(field(1, 2, field(1, 2, entry))));
    Block b = Block.create(Multicodec.RAW, new byte[1500]);
    assertThrows(
        MessageException.class,
        () ->
            small.encode(
                BitswapMessage.response(List.of(b, b), List.of()), ProtocolVersion.V1_2_0));
  }

  @Test
  void refusesUnknownWantTypesAndPresenceTypes() {
    byte[] entry = concat(field(1, 2, EMPTY_RAW.bytes()), varintField(4, 7));
    MessageException e =
        assertThrows(MessageException.class, () -> codec.decode(field(1, 2, field(1, 2, entry))));
    assertTrue(e.getMessage().contains("wantType 7"), e.getMessage());
    byte[] presence = concat(field(1, 2, EMPTY_RAW.bytes()), varintField(2, 5));
    assertThrows(MessageException.class, () -> codec.decode(field(4, 2, presence)));
  }

  @Test
  void refusesPrefixesThatDoNotHashAsTheyClaim() {
    // sha2-256 named with a 20-byte digest.
    byte[] payload = concat(field(1, 2, new byte[] {1, 0x55, 0x12, 20}), field(2, 2, new byte[1]));
    Payload p = codec.decode(field(3, 2, payload)).blocks().get(0);
    assertThrows(MessageException.class, p::toBlock);
    byte[] v0NotPb = concat(field(1, 2, new byte[] {0, 0x55, 0x12, 32}), field(2, 2, new byte[1]));
    assertThrows(MessageException.class, () -> codec.decode(field(3, 2, v0NotPb)));
  }

  @Property(tries = 500)
  void arbitraryBytesOnlyEverFailWithAMessageException(@ForAll @Size(max = 400) byte[] junk) {
    try {
      codec.decode(junk).blocks().forEach(MessageCodecTest::hash);
    } catch (MessageException expected) {
      // the only failure a hostile peer may cause
    }
  }

  @Property(tries = 500)
  void mutatedValidMessagesOnlyEverFailWithAMessageException(@ForAll long seed) {
    Random r = new Random(seed);
    Block b = Block.create(Multicodec.RAW, "hello".getBytes(StandardCharsets.UTF_8));
    BitswapMessage m =
        new BitswapMessage(
            List.of(WantEntry.wantBlock(EMPTY_DIR, 3), WantEntry.wantHave(b.cid(), 1)),
            false,
            List.of(Payload.of(b)),
            List.of(new BlockPresence(EMPTY_RAW, PresenceType.HAVE)),
            5);
    byte[] body = codec.encode(m, ProtocolVersion.V1_2_0);
    int flips = 1 + r.nextInt(4);
    for (int i = 0; i < flips; i++) {
      body[r.nextInt(body.length)] = (byte) r.nextInt(256);
    }
    try {
      codec.decode(body).blocks().forEach(MessageCodecTest::hash);
    } catch (MessageException expected) {
      // the only failure a hostile peer may cause
    }
  }

  private static void hash(Payload p) {
    p.toBlock();
  }

  /** A CID as long as a multihash may be: BLAKE3 (an XOF) with a 256-byte digest, 261 bytes. */
  private static Cid longCid(Random random) {
    byte[] digest = new byte[256];
    random.nextBytes(digest);
    return Cid.v1(
        Multicodec.RAW,
        dev.tally.multiformats.Multihash.of(dev.tally.multiformats.Multicodec.BLAKE3, digest));
  }

  @Test
  void aMessageTooLargeForTheLimitIsSplitIntoPartsThatEachFitAndKeepEveryEntryInOrder() {
    Random random = new Random(45);
    int limit = 128 * 1024;
    MessageCodec small = new MessageCodec(new MessageLimits(limit, 64 * 1024, 4096));
    // 512 wants of 261-byte CIDs take about 140 KB: one message would pass the 128 KiB limit.
    List<WantEntry> wants = new java.util.ArrayList<>();
    for (int i = 0; i < 512; i++) {
      wants.add(new WantEntry(longCid(random), 512 - i, false, WantType.HAVE, true));
    }
    assertThrows(
        MessageException.class,
        () -> small.encode(BitswapMessage.wants(wants), ProtocolVersion.V1_2_0));
    List<Block> blocks = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] data = new byte[30_000 + i];
      random.nextBytes(data);
      blocks.add(Block.create(Multicodec.RAW, data));
    }
    List<BlockPresence> presences = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      presences.add(new BlockPresence(longCid(random), PresenceType.DONT_HAVE));
    }
    BitswapMessage all =
        new BitswapMessage(wants, true, blocks.stream().map(Payload::of).toList(), presences, 77);

    List<byte[]> parts = small.encodeSplit(all, ProtocolVersion.V1_2_0, limit);

    assertTrue(parts.size() >= 3, "parts: " + parts.size());
    List<WantEntry> gotWants = new java.util.ArrayList<>();
    List<Block> gotBlocks = new java.util.ArrayList<>();
    List<BlockPresence> gotPresences = new java.util.ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      byte[] part = parts.get(i);
      assertTrue(part.length <= limit, "part " + i + " has " + part.length + " bytes");
      BitswapMessage m = small.decode(part);
      // The full wantlist replaces the peer's once, in the first part; the rest add to it.
      assertEquals(i == 0, m.full(), "part " + i + " full");
      assertEquals(77, m.pendingBytes());
      gotWants.addAll(m.wants());
      m.blocks().forEach(p -> gotBlocks.add(p.toBlock()));
      gotPresences.addAll(m.presences());
    }
    assertEquals(wants, gotWants);
    assertEquals(blocks, gotBlocks);
    assertEquals(presences, gotPresences);
    // Packed to the byte: no two neighbours would have fit in one message.
    for (int i = 1; i < parts.size(); i++) {
      assertTrue(parts.get(i - 1).length > limit - 40_000, "part " + (i - 1) + " underfilled");
    }
  }

  @Test
  void aMessageWithinTheLimitIsOneBodyEqualToEncode() {
    BitswapMessage m =
        new BitswapMessage(
            List.of(new WantEntry(EMPTY_RAW, 1, false, WantType.BLOCK, false)),
            true,
            List.of(),
            List.of(new BlockPresence(EMPTY_DIR, PresenceType.HAVE)),
            0);
    List<byte[]> parts = codec.encodeSplit(m, ProtocolVersion.V1_2_0, 4 << 20);
    assertEquals(1, parts.size());
    assertArrayEquals(codec.encode(m, ProtocolVersion.V1_2_0), parts.get(0));
    BitswapMessage empty = new BitswapMessage(List.of(), true, List.of(), List.of(), 0);
    assertArrayEquals(
        codec.encode(empty, ProtocolVersion.V1_2_0),
        codec.encodeSplit(empty, ProtocolVersion.V1_2_0, 100).get(0));
  }
}
