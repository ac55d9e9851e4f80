package dev.tally.exchange.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.exchange.pb.BitswapProto;
import dev.tally.exchange.pb.BitswapProto.Message.BlockPresenceType;
import dev.tally.exchange.pb.BitswapProto.Message.Wantlist;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Varint;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes Bitswap message bodies (the protobuf without its length prefix) for one
 * protocol version, checking {@link MessageLimits}. Decoding throws only {@link MessageException}.
 */
public final class MessageCodec {
  private final MessageLimits limits;

  public MessageCodec(MessageLimits limits) {
    this.limits = limits;
  }

  public MessageLimits limits() {
    return limits;
  }

  /**
   * Encodes for a peer speaking {@code version}: before 1.2.0 want-haves become want-blocks and
   * presences are left out; 1.0.0 carries only CIDv0 blocks.
   *
   * @throws MessageException when the message would exceed the message size limit
   */
  public byte[] encode(BitswapMessage m, ProtocolVersion version) {
    return withinLimit(pack(m, version, Integer.MAX_VALUE).get(0), "; split it");
  }

  /**
   * Encodes {@code m} as one or more bodies of at most {@code limit} bytes each (and of this
   * codec's limit), in order: wants, then blocks, then presences, each part carrying the pending
   * bytes, the first carrying a full wantlist's flag (the later parts add to what it replaced, as
   * incremental wantlists do). Sizes are protobuf's own, so a part is filled to the byte. Only one
   * entry larger than the limit by itself goes over it, alone; the codec's limit still refuses it.
   *
   * @throws MessageException when one entry alone exceeds this codec's message size limit
   */
  public List<byte[]> encodeSplit(BitswapMessage m, ProtocolVersion version, int limit) {
    List<byte[]> bodies = pack(m, version, limit);
    for (byte[] body : bodies) {
      withinLimit(body, ": one entry alone is that large");
    }
    return bodies;
  }

  private byte[] withinLimit(byte[] body, String why) {
    if (body.length > limits.maxMessageSize()) {
      throw new MessageException(
          "Bitswap message of "
              + body.length
              + " bytes exceeds the "
              + limits.maxMessageSize()
              + "-byte limit"
              + why);
    }
    return body;
  }

  /** {@code m} packed into bodies of at most {@code limit} bytes, entries in order. */
  private static List<byte[]> pack(BitswapMessage m, ProtocolVersion version, int limit) {
    Parts parts = new Parts(limit, m.full(), m.pendingBytes());
    for (WantEntry e : m.wants()) {
      Wantlist.Entry.Builder eb =
          Wantlist.Entry.newBuilder()
              .setBlock(ByteString.copyFrom(e.cid().bytes()))
              .setPriority(e.priority())
              .setCancel(e.cancel());
      if (version.supportsHave()) {
        eb.setWantType(e.type() == WantType.HAVE ? Wantlist.WantType.Have : Wantlist.WantType.Block)
            .setSendDontHave(e.sendDontHave());
      }
      parts.want(eb.build());
    }
    for (Payload p : m.blocks()) {
      if (version.supportsPrefixes()) {
        BitswapProto.Message.Block block =
            BitswapProto.Message.Block.newBuilder()
                .setPrefix(ByteString.copyFrom(p.prefix().bytes()))
                .setData(ByteString.copyFrom(p.data()))
                .build();
        parts.other(CodedOutputStream.computeMessageSize(PAYLOAD, block), b -> b.addPayload(block));
      } else if (p.prefix().equals(CidPrefix.V0)) {
        ByteString data = ByteString.copyFrom(p.data());
        parts.other(CodedOutputStream.computeBytesSize(BLOCKS, data), b -> b.addBlocks(data));
      }
    }
    if (version.supportsHave()) {
      for (BlockPresence p : m.presences()) {
        BitswapProto.Message.BlockPresence presence =
            BitswapProto.Message.BlockPresence.newBuilder()
                .setCid(ByteString.copyFrom(p.cid().bytes()))
                .setType(
                    p.type() == PresenceType.HAVE
                        ? BlockPresenceType.Have
                        : BlockPresenceType.DontHave)
                .build();
        parts.other(
            CodedOutputStream.computeMessageSize(PRESENCES, presence),
            b -> b.addBlockPresences(presence));
      }
    }
    return parts.finish();
  }

  private static final int WANTLIST = 1;
  private static final int BLOCKS = 2;
  private static final int PAYLOAD = 3;
  private static final int PRESENCES = 4;
  private static final int PENDING = 5;
  private static final int ENTRIES = 1;
  private static final int FULL = 2;

  /** Packs entries into messages of at most a limit, by their exact encoded sizes. */
  private static final class Parts {
    private final int limit;
    private final int pendingBytes;
    private final List<byte[]> bodies = new ArrayList<>();
    private boolean full;
    private BitswapProto.Message.Builder message;
    private Wantlist.Builder wantlist;
    private long wantBytes;
    private long otherBytes;

    Parts(int limit, boolean full, int pendingBytes) {
      this.limit = limit;
      this.full = full;
      this.pendingBytes = pendingBytes;
      start();
    }

    private void start() {
      message = BitswapProto.Message.newBuilder();
      wantlist = Wantlist.newBuilder();
      wantBytes = 0;
      otherBytes = 0;
    }

    private boolean empty() {
      return wantBytes == 0 && otherBytes == 0;
    }

    /** The encoded size of the part with {@code wants} and {@code others} more bytes of fields. */
    private long size(long wants, long others) {
      long size = otherBytes + others;
      long entries = wantBytes + wants;
      if (entries > 0 || full) {
        long list = entries + (full ? CodedOutputStream.computeBoolSize(FULL, true) : 0);
        size += CodedOutputStream.computeTagSize(WANTLIST) + varintSize(list) + list;
      }
      return size
          + (pendingBytes == 0 ? 0 : CodedOutputStream.computeInt32Size(PENDING, pendingBytes));
    }

    void want(Wantlist.Entry entry) {
      long n = CodedOutputStream.computeMessageSize(ENTRIES, entry);
      if (!empty() && size(n, 0) > limit) {
        flush();
      }
      wantlist.addEntries(entry);
      wantBytes += n;
    }

    void other(long n, java.util.function.Consumer<BitswapProto.Message.Builder> add) {
      if (!empty() && size(0, n) > limit) {
        flush();
      }
      add.accept(message);
      otherBytes += n;
    }

    private void flush() {
      if (wantlist.getEntriesCount() > 0 || full) {
        message.setWantlist(wantlist.setFull(full));
      }
      message.setPendingBytes(pendingBytes);
      bodies.add(message.build().toByteArray());
      // A full wantlist replaces the peer's in its first part; the rest add to it.
      full = false;
      start();
    }

    List<byte[]> finish() {
      if (!empty() || bodies.isEmpty()) {
        flush();
      }
      return bodies;
    }

    private static int varintSize(long n) {
      return CodedOutputStream.computeUInt64SizeNoTag(n);
    }
  }

  /** The body with its uvarint length prefix, ready to write. */
  public static byte[] frame(byte[] body) {
    byte[] out = new byte[Varint.encodedLength(body.length) + body.length];
    int off = Varint.write(body.length, out, 0);
    System.arraycopy(body, 0, out, off, body.length);
    return out;
  }

  /** Decodes one message body; blocks stay unhashed {@link Payload}s. */
  public BitswapMessage decode(byte[] body) {
    withinLimit(body, "");
    BitswapProto.Message pb;
    try {
      pb = BitswapProto.Message.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new MessageException("malformed Bitswap protobuf: " + e.getMessage(), e);
    }
    List<WantEntry> wants = new ArrayList<>(pb.getWantlist().getEntriesCount());
    for (Wantlist.Entry e : pb.getWantlist().getEntriesList()) {
      Cid cid = cid(e.getBlock(), "wantlist entry");
      WantType type =
          switch (e.getWantTypeValue()) {
            case 0 -> WantType.BLOCK;
            case 1 -> WantType.HAVE;
            default ->
                throw new MessageException(
                    "wantlist entry for " + cid + " has unknown wantType " + e.getWantTypeValue());
          };
      wants.add(new WantEntry(cid, e.getPriority(), e.getCancel(), type, e.getSendDontHave()));
    }
    List<Payload> blocks = new ArrayList<>(pb.getBlocksCount() + pb.getPayloadCount());
    for (ByteString data : pb.getBlocksList()) {
      blocks.add(Payload.owned(CidPrefix.V0, blockBytes(data)));
    }
    for (BitswapProto.Message.Block p : pb.getPayloadList()) {
      blocks.add(
          Payload.owned(CidPrefix.decode(p.getPrefix().toByteArray()), blockBytes(p.getData())));
    }
    List<BlockPresence> presences = new ArrayList<>(pb.getBlockPresencesCount());
    for (BitswapProto.Message.BlockPresence p : pb.getBlockPresencesList()) {
      Cid cid = cid(p.getCid(), "block presence");
      PresenceType type =
          switch (p.getTypeValue()) {
            case 0 -> PresenceType.HAVE;
            case 1 -> PresenceType.DONT_HAVE;
            default ->
                throw new MessageException(
                    "block presence for " + cid + " has unknown type " + p.getTypeValue());
          };
      presences.add(new BlockPresence(cid, type));
    }
    return new BitswapMessage(
        wants, pb.getWantlist().getFull(), blocks, presences, pb.getPendingBytes());
  }

  private byte[] blockBytes(ByteString data) {
    if (data.size() > limits.maxBlockSize()) {
      throw new MessageException(
          "block of "
              + data.size()
              + " bytes exceeds the "
              + limits.maxBlockSize()
              + "-byte block limit");
    }
    return data.toByteArray();
  }

  private Cid cid(ByteString bytes, String where) {
    if (bytes.size() > limits.maxCidLength()) {
      throw new MessageException(
          where
              + " carries a CID of "
              + bytes.size()
              + " bytes; at most "
              + limits.maxCidLength()
              + " are accepted");
    }
    try {
      return Cid.decode(bytes.toByteArray());
    } catch (MultiformatException e) {
      throw new MessageException(where + " carries an invalid CID: " + e.getMessage(), e);
    }
  }
}
