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
          return parseIp4(text, 0, text.length());
        }

        @Override
        public String toText(byte[] v) {
          return (v[0] & 0xFF) + "." + (v[1] & 0xFF) + "." + (v[2] & 0xFF) + "." + (v[3] & 0xFF);
        }
      };

  static final Codec IP6 =
      new Codec() {
        @Override
        public byte[] toBytes(String text) {
          return parseIp6(text);
        }

        @Override
        public String toText(byte[] v) {
          return formatIp6(v);
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

  static byte[] parseIp4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        value = value * 10 + (s.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        throw badIp4(s, from, to);
      }
      out[part++] = (byte) value;
      if (part == 4) {
        if (i != to) {
          throw badIp4(s, from, to);
        }
        return out;
      }
      if (i >= to || s.charAt(i) != '.') {
        throw badIp4(s, from, to);
      }
      i++;
    }
  }

  private static MultiaddrException badIp4(String s, int from, int to) {
    return new MultiaddrException(
        "'" + s.substring(from, to) + "' is not a dotted-decimal IPv4 address");
  }

  static byte[] parseIp6(String s) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      throw badIp6(s, "more than one '::'");
    }
    int[] groups = new int[8];
    int n;
    if (dbl < 0) {
      n = parseGroups(s, 0, s.length(), groups, 0, true);
      if (n != 8) {
        throw badIp6(s, "expected 8 groups, found " + n);
      }
      return toBytes(groups);
    }
    int[] tail = new int[8];
    int head = dbl == 0 ? 0 : parseGroups(s, 0, dbl, groups, 0, false);
    int t = dbl + 2 == s.length() ? 0 : parseGroups(s, dbl + 2, s.length(), tail, 0, true);
    if (head + t > 7) {
      throw badIp6(s, "'::' must stand for at least one zero group");
    }
    System.arraycopy(tail, 0, groups, 8 - t, t);
    return toBytes(groups);
  }

  /** Parses colon-separated groups into {@code out}; an IPv4 tail counts as two groups. */
  private static int parseGroups(
      String s, int from, int to, int[] out, int n, boolean ipv4TailAllowed) {
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 5 && hexValue(s.charAt(i)) >= 0) {
        value = value * 16 + hexValue(s.charAt(i));
        i++;
      }
      if (i < to && s.charAt(i) == '.' && ipv4TailAllowed) {
        if (n > 6) {
          throw badIp6(s, "too many groups");
        }
        byte[] v4 = parseIp4(s, start, to);
        out[n++] = (v4[0] & 0xFF) << 8 | (v4[1] & 0xFF);
        out[n++] = (v4[2] & 0xFF) << 8 | (v4[3] & 0xFF);
        return n;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        throw badIp6(s, "each group needs 1 to 4 hex digits");
      }
      if (n == 8) {
        throw badIp6(s, "too many groups");
      }
      out[n++] = value;
      if (i == to) {
        return n;
      }
      if (s.charAt(i) != ':') {
        throw badIp6(s, "unexpected character '" + s.charAt(i) + "'");
      }
      i++;
      if (i == to) {
        throw badIp6(s, "trailing ':'");
      }
    }
  }

  /** ASCII hex only: Character.digit would also accept non-ASCII digits. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static byte[] toBytes(int[] groups) {
    byte[] b = new byte[16];
    for (int g = 0; g < 8; g++) {
      b[2 * g] = (byte) (groups[g] >>> 8);
      b[2 * g + 1] = (byte) groups[g];
    }
    return b;
  }

  private static MultiaddrException badIp6(String s, String why) {
    return new MultiaddrException("'" + s + "' is not an IPv6 address: " + why);
  }

  /** RFC 5952 text; IPv4-mapped addresses keep their dotted tail, as Go's netip prints them. */
  static String formatIp6(byte[] b) {
    boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    for (int i = 0; i < 10 && mapped; i++) {
      mapped = b[i] == 0;
    }
    if (mapped) {
      return "::ffff:" + IP4.toText(new byte[] {b[12], b[13], b[14], b[15]});
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
