package dev.tally.ipld;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Writes canonical DAG-JSON: keys sorted by UTF-8 bytes, no whitespace. */
final class DagJsonWriter {
  private static final String CODEC = "dag-json";
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final boolean strict;
  private final int maxDepth;
  private byte[] buf = new byte[128];
  private int pos;

  private DagJsonWriter(boolean strict, int maxDepth) {
    this.strict = strict;
    this.maxDepth = maxDepth;
  }

  static byte[] encode(IpldNode node, int maxDepth) {
    DagJsonWriter w = new DagJsonWriter(true, maxDepth);
    w.write(node, 0);
    return Arrays.copyOf(w.buf, w.pos);
  }

  /**
   * DAG-JSON-like text for {@code toString()}: also renders maps that DAG-JSON reserves, and never
   * throws.
   */
  static byte[] debugText(IpldNode node) {
    DagJsonWriter w = new DagJsonWriter(false, DagJson.DEFAULT_MAX_DEPTH);
    try {
      w.write(node, 0);
    } catch (CodecException e) {
      return ("<" + e.getMessage() + ">").getBytes(StandardCharsets.UTF_8);
    }
    return Arrays.copyOf(w.buf, w.pos);
  }

  private void write(IpldNode node, int depth) {
    if (depth > maxDepth) {
      throw new CodecException(CODEC + ": value nests deeper than the limit of " + maxDepth);
    }
    switch (node.kind()) {
      case NULL -> ascii("null");
      case BOOL -> ascii(node.asBool() ? "true" : "false");
      case INT -> ascii(node.toString());
      case FLOAT -> ascii(JsonNumbers.formatDouble(node.asDouble()));
      case STRING -> string(node.asString());
      case BYTES -> {
        ascii("{\"/\":{\"bytes\":\"");
        byte[] b64 = Base64.getEncoder().withoutPadding().encode(((IpldBytes) node).array());
        raw(b64);
        ascii("\"}}");
      }
      case LIST -> {
        put('[');
        IpldNode[] items = ((IpldList) node).array();
        for (int i = 0; i < items.length; i++) {
          if (i > 0) {
            put(',');
          }
          write(items[i], depth + 1);
        }
        put(']');
      }
      case MAP -> writeMap((IpldMap) node, depth);
      case LINK -> {
        ascii("{\"/\":\"");
        ascii(node.asLink().toString());
        ascii("\"}");
      }
    }
  }

  private void writeMap(IpldMap map, int depth) {
    if (strict && ReservedForms.isReserved(map)) {
      throw new CodecException(
          CODEC
              + ": a map whose first key is \"/\" with a string value, or with a map value whose"
              + " first key is \"bytes\" with a string value, is reserved for links and bytes and"
              + " cannot be encoded");
    }
    String[] keys = map.keyArray();
    IpldNode[] values = map.valueArray();
    int[] order = ReservedForms.bytewiseOrder(keys);
    put('{');
    for (int k = 0; k < keys.length; k++) {
      int i = order == null ? k : order[k];
      if (k > 0) {
        put(',');
      }
      string(keys[i]);
      put(':');
      write(values[i], depth + 1);
    }
    put('}');
  }

  private void string(String s) {
    put('"');
    int runStart = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      flush(s, runStart, i);
      runStart = i + 1;
      switch (c) {
        case '"' -> ascii("\\\"");
        case '\\' -> ascii("\\\\");
        case '\b' -> ascii("\\b");
        case '\f' -> ascii("\\f");
        case '\n' -> ascii("\\n");
        case '\r' -> ascii("\\r");
        case '\t' -> ascii("\\t");
        default -> {
          ensure(6);
          buf[pos++] = '\\';
          buf[pos++] = 'u';
          buf[pos++] = '0';
          buf[pos++] = '0';
          buf[pos++] = HEX[c >> 4];
          buf[pos++] = HEX[c & 0xf];
        }
      }
    }
    flush(s, runStart, s.length());
    put('"');
  }

  private void flush(String s, int from, int to) {
    if (from < to) {
      String run = from == 0 && to == s.length() ? s : s.substring(from, to);
      ensure(Utf8.length(run));
      pos = Utf8.write(run, buf, pos);
    }
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  private void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  private void put(char c) {
    ensure(1);
    buf[pos++] = (byte) c;
  }

  private void ensure(int extra) {
    if (buf.length - pos < extra) {
      long wanted = Math.max((long) buf.length * 2, (long) pos + extra);
      if (wanted > Integer.MAX_VALUE - 8) {
        throw new CodecException(CODEC + ": encoded value exceeds the 2 GiB array limit");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }
}
