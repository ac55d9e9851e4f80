package dev.tally.exchange.message;

import com.google.protobuf.ByteString;
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
    BitswapProto.Message.Builder b = BitswapProto.Message.newBuilder();
    if (!m.wants().isEmpty() || m.full()) {
      Wantlist.Builder wl = Wantlist.newBuilder().setFull(m.full());
      for (WantEntry e : m.wants()) {
        Wantlist.Entry.Builder eb =
            Wantlist.Entry.newBuilder()
                .setBlock(ByteString.copyFrom(e.cid().bytes()))
                .setPriority(e.priority())
                .setCancel(e.cancel());
        if (version.supportsHave()) {
          eb.setWantType(
                  e.type() == WantType.HAVE ? Wantlist.WantType.Have : Wantlist.WantType.Block)
              .setSendDontHave(e.sendDontHave());
        }
        wl.addEntries(eb);
      }
      b.setWantlist(wl);
    }
    for (Payload p : m.blocks()) {
      if (version.supportsPrefixes()) {
        b.addPayload(
            BitswapProto.Message.Block.newBuilder()
                .setPrefix(ByteString.copyFrom(p.prefix().bytes()))
                .setData(ByteString.copyFrom(p.data())));
      } else if (p.prefix().equals(CidPrefix.V0)) {
        b.addBlocks(ByteString.copyFrom(p.data()));
      }
    }
    if (version.supportsHave()) {
      for (BlockPresence p : m.presences()) {
        b.addBlockPresences(
            BitswapProto.Message.BlockPresence.newBuilder()
                .setCid(ByteString.copyFrom(p.cid().bytes()))
                .setType(
                    p.type() == PresenceType.HAVE
                        ? BlockPresenceType.Have
                        : BlockPresenceType.DontHave));
      }
    }
    b.setPendingBytes(m.pendingBytes());
    byte[] body = b.build().toByteArray();
    if (body.length > limits.maxMessageSize()) {
      throw new MessageException(
          "Bitswap message of "
              + body.length
              + " bytes exceeds the "
              + limits.maxMessageSize()
              + "-byte limit; split it");
    }
    return body;
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
    if (body.length > limits.maxMessageSize()) {
      throw new MessageException(
          "Bitswap message of "
              + body.length
              + " bytes exceeds the "
              + limits.maxMessageSize()
              + "-byte limit");
    }
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
