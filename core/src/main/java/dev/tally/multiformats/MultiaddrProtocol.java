package dev.tally.multiformats;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multiaddr protocols Tally understands, with their multicodec codes and value formats. The set
 * covers what libp2p peers advertise today; an address naming any other protocol is rejected with a
 * message that names it, so callers can skip it.
 */
public enum MultiaddrProtocol {
  IP4("ip4", 0x04, 4, MultiaddrValues.IP4),
  TCP("tcp", 0x06, 2, MultiaddrValues.PORT),
  IP6("ip6", 0x29, 16, MultiaddrValues.IP6),
  IP6ZONE("ip6zone", 0x2a, -1, MultiaddrValues.TEXT),
  DNS("dns", 0x35, -1, MultiaddrValues.TEXT),
  DNS4("dns4", 0x36, -1, MultiaddrValues.TEXT),
  DNS6("dns6", 0x37, -1, MultiaddrValues.TEXT),
  DNSADDR("dnsaddr", 0x38, -1, MultiaddrValues.TEXT),
  SCTP("sctp", 0x84, 2, MultiaddrValues.PORT),
  UDP("udp", 0x0111, 2, MultiaddrValues.PORT),
  WEBRTC_DIRECT("webrtc-direct", 0x0118, 0, null),
  WEBRTC("webrtc", 0x0119, 0, null),
  P2P_CIRCUIT("p2p-circuit", 0x0122, 0, null),
  P2P("p2p", 0x01a5, -1, MultiaddrValues.PEER_ID),
  HTTPS("https", 0x01bb, 0, null),
  TLS("tls", 0x01c0, 0, null),
  SNI("sni", 0x01c1, -1, MultiaddrValues.TEXT),
  NOISE("noise", 0x01c6, 0, null),
  QUIC("quic", 0x01cc, 0, null),
  QUIC_V1("quic-v1", 0x01cd, 0, null),
  WEBTRANSPORT("webtransport", 0x01d1, 0, null),
  CERTHASH("certhash", 0x01d2, -1, MultiaddrValues.CERTHASH),
  WS("ws", 0x01dd, 0, null),
  WSS("wss", 0x01de, 0, null),
  HTTP("http", 0x01e0, 0, null);

  private static final Map<String, MultiaddrProtocol> BY_NAME = new HashMap<>();
  private static final Map<Long, MultiaddrProtocol> BY_CODE = new HashMap<>();

  static {
    for (MultiaddrProtocol p : values()) {
      BY_NAME.put(p.protocolName, p);
      BY_CODE.put(p.code, p);
    }
    // "/ipfs/<peer>" is the historical spelling of "/p2p/<peer>"; it parses but never prints.
    BY_NAME.put("ipfs", P2P);
  }

  private final String protocolName;
  private final long code;
  private final int size;
  private final MultiaddrValues.Codec codec;

  MultiaddrProtocol(String name, long code, int size, MultiaddrValues.Codec codec) {
    this.protocolName = name;
    this.code = code;
    this.size = size;
    this.codec = codec;
  }

  /** The name used in text form, e.g. {@code "quic-v1"}. */
  public String protocolName() {
    return protocolName;
  }

  public long code() {
    return code;
  }

  /** Whether the protocol carries a value ({@code /tcp/4001}) or none ({@code /ws}). */
  public boolean hasValue() {
    return size != 0;
  }

  /** Fixed value size in bytes, or -1 when the value is length-prefixed. */
  int size() {
    return size;
  }

  public static Optional<MultiaddrProtocol> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  public static Optional<MultiaddrProtocol> byCode(long code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** Binary value for canonical or accepted text; throws {@link MultiaddrException}. */
  byte[] valueToBytes(String text) {
    if (codec == null) {
      if (!text.isEmpty()) {
        throw new MultiaddrException("/" + protocolName + " takes no value, got '" + text + "'");
      }
      return new byte[0];
    }
    try {
      return codec.toBytes(text);
    } catch (MultiformatException e) {
      throw new MultiaddrException(
          "invalid /" + protocolName + " value '" + text + "': " + e.getMessage(), e);
    }
  }

  /** Canonical text for a binary value; validates it. */
  String valueToText(byte[] value) {
    if (codec == null) {
      return "";
    }
    try {
      return codec.toText(value);
    } catch (MultiformatException e) {
      throw new MultiaddrException("invalid /" + protocolName + " value: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return protocolName;
  }
}
