package dev.tally.ipld;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes canonical DAG-CBOR into a growable array. One instance per encode call. */
final class DagCborWriter {
  private static final String CODEC = "dag-cbor";

  private final int maxDepth;
  private byte[] buf;
  private int pos;

  DagCborWriter(int initialCapacity, int maxDepth) {
    this.buf = new byte[Math.max(16, initialCapacity)];
    this.maxDepth = maxDepth;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  void write(IpldNode node, int depth) {
    if (depth > maxDepth) {
      throw new CodecException(CODEC + ": value nests deeper than the limit of " + maxDepth);
    }
    switch (node.kind()) {
      case NULL -> put(0xf6);
      case BOOL -> put(node.asBool() ? 0xf5 : 0xf4);
      case INT -> {
        IpldInt i = (IpldInt) node;
        header(i.isNegative() ? 1 : 0, i.argument());
      }
      case FLOAT -> {
        ensure(9);
        buf[pos++] = (byte) 0xfb;
        putLong(Double.doubleToRawLongBits(node.asDouble()));
      }
      case STRING -> writeString(((IpldString) node).value());
      case BYTES -> {
        byte[] b = ((IpldBytes) node).array();
        header(2, b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
      }
      case LIST -> {
        IpldNode[] items = ((IpldList) node).array();
        header(4, items.length);
        for (IpldNode item : items) {
          write(item, depth + 1);
        }
      }
      case MAP -> writeMap((IpldMap) node, depth);
      case LINK -> writeLink((IpldLink) node);
    }
  }

  private void writeMap(IpldMap map, int depth) {
    String[] keys = map.keyArray();
    IpldNode[] values = map.valueArray();
    header(5, keys.length);
    int[] order = map.cborOrder();
    for (int k = 0; k < keys.length; k++) {
      int i = order == null ? k : order[k];
      writeString(keys[i]);
      write(values[i], depth + 1);
    }
  }

  private void writeLink(IpldLink link) {
    int len = link.cid().encodedLength();
    ensure(2);
    buf[pos++] = (byte) 0xd8;
    buf[pos++] = 42;
    // The leading 0x00 is the identity multibase prefix the spec requires inside tag 42.
    header(2, len + 1L);
    ensure(len + 1);
    buf[pos++] = 0;
    pos += link.cid().writeTo(buf, pos);
  }

  private void writeString(String s) {
    // The JDK's UTF-8 encoder is an intrinsic for Latin-1 strings; a short-lived copy of a key
    // or value costs less than scanning the chars twice (length, then write).
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    header(3, utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buf, pos, utf8.length);
    pos += utf8.length;
  }

  /** Writes a major type with its argument in the shortest form; {@code arg} is unsigned. */
  private void header(int major, long arg) {
    int mt = major << 5;
    ensure(9);
    if (arg >= 0 && arg < 24) {
      buf[pos++] = (byte) (mt | (int) arg);
    } else if (arg >= 0 && arg < 0x100) {
      buf[pos++] = (byte) (mt | 24);
      buf[pos++] = (byte) arg;
    } else if (arg >= 0 && arg < 0x10000) {
      buf[pos++] = (byte) (mt | 25);
      buf[pos++] = (byte) (arg >>> 8);
      buf[pos++] = (byte) arg;
    } else if (arg >= 0 && arg < 0x1_0000_0000L) {
      buf[pos++] = (byte) (mt | 26);
      buf[pos++] = (byte) (arg >>> 24);
      buf[pos++] = (byte) (arg >>> 16);
      buf[pos++] = (byte) (arg >>> 8);
      buf[pos++] = (byte) arg;
    } else {
      buf[pos++] = (byte) (mt | 27);
      putLong(arg);
    }
  }

  private void putLong(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  private void put(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
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
