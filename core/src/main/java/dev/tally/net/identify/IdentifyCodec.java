package dev.tally.net.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tally.crypto.KeyFormatException;
import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Varint;
import dev.tally.net.identify.pb.IdentifyProto;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes and decodes identify messages: each a uvarint length and a protobuf {@code Identify}. A
 * response may be split into several messages, which are merged in order (as go-libp2p does).
 */
public final class IdentifyCodec {
  private static final System.Logger LOG = System.getLogger(IdentifyCodec.class.getName());

  /** js-libp2p's and go-libp2p's limit for one signed identify message. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024;

  /**
   * How many messages one response may be split into: go-libp2p's bound (it splits only when the
   * signed record and the rest do not fit one message). Not a config key: with {@code
   * Swarm.Identify.MaxMessageSize} it bounds a response, and peers never send more (ADR 038).
   */
  public static final int MAX_MESSAGES = 10;

  private final int maxMessageSize;

  public IdentifyCodec(int maxMessageSize) {
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive, got " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
  }

  public int maxMessageSize() {
    return maxMessageSize;
  }

  /** The most bytes a whole response may take on the wire. */
  public int maxResponseSize() {
    return MAX_MESSAGES * (maxMessageSize + Varint.MAX_LENGTH);
  }

  /** One length-prefixed message; signedPeerRecord is not sent. */
  public byte[] encode(IdentifyInfo info) {
    IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder();
    info.protocolVersion().ifPresent(b::setProtocolVersion);
    info.agentVersion().ifPresent(b::setAgentVersion);
    info.publicKey().ifPresent(k -> b.setPublicKey(ByteString.copyFrom(k.marshal())));
    for (Multiaddr a : info.listenAddrs()) {
      b.addListenAddrs(ByteString.copyFrom(a.bytes()));
    }
    info.observedAddr().ifPresent(a -> b.setObservedAddr(ByteString.copyFrom(a.bytes())));
    b.addAllProtocols(info.protocols());
    byte[] body = b.build().toByteArray();
    if (body.length > maxMessageSize) {
      throw new IdentifyException(
          "identify message of "
              + body.length
              + " bytes exceeds the "
              + maxMessageSize
              + "-byte limit; announce fewer addresses or protocols");
    }
    byte[] out = new byte[Varint.encodedLength(body.length) + body.length];
    int off = Varint.write(body.length, out, 0);
    System.arraycopy(body, 0, out, off, body.length);
    return out;
  }

  /** Decodes a whole response: one or more length-prefixed messages, merged. */
  public IdentifyInfo decode(byte[] wire) {
    if (wire.length > maxResponseSize()) {
      throw new IdentifyException(
          "identify response of " + wire.length + " bytes exceeds " + maxResponseSize());
    }
    IdentifyProto.Identify.Builder merged = IdentifyProto.Identify.newBuilder();
    int pos = 0;
    int messages = 0;
    while (pos < wire.length) {
      long len;
      int lenBytes;
      try {
        len = Varint.decode(wire, pos, wire.length);
        lenBytes = Varint.decodedLength(wire, pos, wire.length);
      } catch (MultiformatException e) {
        throw new IdentifyException("bad identify length prefix at byte " + pos, e);
      }
      pos += lenBytes;
      if (len > maxMessageSize) {
        throw new IdentifyException(
            "identify message of " + len + " bytes exceeds the " + maxMessageSize + "-byte limit");
      }
      if (len > wire.length - pos) {
        throw new IdentifyException(
            "identify message truncated: "
                + len
                + " bytes announced, "
                + (wire.length - pos)
                + " left");
      }
      if (++messages > MAX_MESSAGES) {
        throw new IdentifyException("identify response split into more than " + MAX_MESSAGES);
      }
      try {
        merged.mergeFrom(wire, pos, (int) len);
      } catch (InvalidProtocolBufferException e) {
        throw new IdentifyException("malformed identify protobuf: " + e.getMessage(), e);
      }
      pos += (int) len;
    }
    if (messages == 0) {
      throw new IdentifyException("identify stream ended without a message");
    }
    return toInfo(merged.build());
  }

  private static IdentifyInfo toInfo(IdentifyProto.Identify pb) {
    Optional<PublicKey> key = Optional.empty();
    if (pb.hasPublicKey()) {
      try {
        key = Optional.of(PublicKey.unmarshal(pb.getPublicKey().toByteArray()));
      } catch (KeyFormatException e) {
        throw new IdentifyException("identify carries an invalid public key: " + e.getMessage(), e);
      }
    }
    List<Multiaddr> addrs = new ArrayList<>();
    for (ByteString a : pb.getListenAddrsList()) {
      parseAddr(a).ifPresent(addrs::add);
    }
    Optional<Multiaddr> observed =
        pb.hasObservedAddr() ? parseAddr(pb.getObservedAddr()) : Optional.empty();
    return new IdentifyInfo(
        key,
        addrs,
        pb.getProtocolsList(),
        observed,
        pb.hasProtocolVersion() ? Optional.of(pb.getProtocolVersion()) : Optional.empty(),
        pb.hasAgentVersion() ? Optional.of(pb.getAgentVersion()) : Optional.empty());
  }

  /** Addresses we cannot parse (new transports) are skipped, as go-libp2p does. */
  private static Optional<Multiaddr> parseAddr(ByteString bytes) {
    try {
      return Optional.of(Multiaddr.decode(bytes.toByteArray()));
    } catch (MultiformatException e) {
      LOG.log(Level.DEBUG, "skipping an unparseable multiaddr in identify: {0}", e.getMessage());
      return Optional.empty();
    }
  }
}
