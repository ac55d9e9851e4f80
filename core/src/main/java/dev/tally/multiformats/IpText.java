package dev.tally.multiformats;

/**
 * Strict text forms of IP addresses, written by hand because {@link java.net.InetAddress} would
 * resolve host names and accepts forms (octal, short) that no multiaddr implementation prints.
 */
final class IpText {
  private IpText() {}

  static String formatIp4(byte[] v, int off) {
    return (v[off] & 0xFF)
        + "."
        + (v[off + 1] & 0xFF)
        + "."
        + (v[off + 2] & 0xFF)
        + "."
        + (v[off + 3] & 0xFF);
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
      return "::ffff:" + formatIp4(b, 12);
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
