package dev.tally.multiformats;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Text and binary forms of multiaddr component values. */
final class MultiaddrValues {
  private MultiaddrValues() {}

  interface Codec {
    byte[] toBytes(String text);

    String toText(byte[] value);
  }

  static final Codec IP4 =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          return IpText.parseIp4(text, 0, text.length());
        }

        @Override
        public String toText(byte[] v) {
          return IpText.formatIp4(v, 0);
        }
      };

  static final Codec IP6 =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          return IpText.parseIp6(text);
        }

        @Override
        public String toText(byte[] v) {
          return IpText.formatIp6(v);
        }
      };

  static final Codec PORT =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          if (text.isEmpty()
              || text.length() > 5
              || (text.length() > 1 && text.charAt(0) == '0')
              || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MultiaddrException(
                "expected a port number 0..65535 without sign or leading zeros");
          }
          int port = Integer.parseInt(text);
          if (port > 65535) {
            throw new MultiaddrException("port " + port + " is above 65535");
          }
          return new byte[] {(byte) (port >>> 8), (byte) port};
        }

        @Override
        public String toText(byte[] v) {
          return Integer.toString((v[0] & 0xFF) << 8 | (v[1] & 0xFF));
        }
      };

  /** Host names and other free text: non-empty UTF-8 without '/', which would split the address. */
  static final Codec TEXT =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          checkText(text);
          try {
            ByteBuffer b =
                StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(text));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
          } catch (CharacterCodingException e) {
            throw new MultiaddrException("value is not well-formed Unicode");
          }
        }

        @Override
        public String toText(byte[] v) {
          String s;
          try {
            s =
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(v))
                    .toString();
          } catch (CharacterCodingException e) {
            throw new MultiaddrException("value is not valid UTF-8");
          }
          checkText(s);
          return s;
        }
      };

  /**
   * Peer IDs: the binary form is a multihash; text is base58btc (legacy {@code Qm…} and {@code
   * 12D3…}) or a CIDv1 with the libp2p-key codec in any multibase.
   */
  static final Codec PEER_ID =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          if (text.startsWith("Qm") || text.startsWith("1")) {
            return Multihash.decode(Multibase.BASE58BTC.decodeRaw(text)).bytes();
          }
          Cid cid = Cid.parse(text);
          if (cid.codec() != Multicodec.LIBP2P_KEY) {
            throw new MultiaddrException(
                "a peer ID CID must use the libp2p-key codec, not "
                    + Multicodec.describe(cid.codec()));
          }
          return cid.multihash().bytes();
        }

        @Override
        public String toText(byte[] v) {
          return Multihash.decode(v).toString();
        }
      };

  /** TLS certificate hashes (WebTransport, WebRTC): a multihash written in multibase. */
  static final Codec CERTHASH =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          return Multihash.decode(Multibase.decode(text)).bytes();
        }

        @Override
        public String toText(byte[] v) {
          return Multibase.BASE64URL.encode(Multihash.decode(v).bytes());
        }
      };

  private static void checkText(String s) {
    if (s.isEmpty()) {
      throw new MultiaddrException("value is empty");
    }
    if (s.indexOf('/') >= 0) {
      throw new MultiaddrException("value contains '/'");
    }
  }
}
