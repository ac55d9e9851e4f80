package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.Arrays;

/**
 * A strict DAG-CBOR decoder over one byte array. Every length is checked against the bytes that
 * remain before anything is allocated, and nesting is bounded so hostile input cannot exhaust the
 * heap or the stack.
 */
final class DagCborReader {
  private static final String CODEC = "dag-cbor";

  /*
   * Arrays for lists and maps start at most this big and grow as items actually arrive: a count
   * is only bounded by the remaining bytes, and nested headers each claiming the whole remainder
   * would otherwise allocate depth x input size.
   */
  private static final int INITIAL_CAPACITY = 64;

  private final byte[] in;
  private final int maxDepth;
  private int pos;

  DagCborReader(byte[] in, int maxDepth) {
    this.in = in;
    this.maxDepth = maxDepth;
  }

  IpldNode readWhole() {
    if (in.length == 0) {
      throw error(0, "empty input; expected one CBOR item");
    }
    IpldNode node = read(0);
    if (pos != in.length) {
      throw error(pos, (in.length - pos) + " trailing bytes after the top-level item");
    }
    return node;
  }

  private IpldNode read(int depth) {
    int start = pos;
    int initial = u8();
    int major = initial >>> 5;
    int info = initial & 0x1f;
    switch (major) {
      case 0:
        return IpldInt.ofUnsigned(argument(info, start));
      case 1:
        return IpldInt.ofNegativeArgument(argument(info, start));
      case 2:
        {
          int len = length(info, start);
          byte[] b = Arrays.copyOfRange(in, pos, pos + len);
          pos += len;
          return IpldBytes.wrap(b);
        }
      case 3:
        {
          int len = length(info, start);
          String s = string(pos, len);
          pos += len;
          return IpldString.trusted(s);
        }
      case 4:
        return readList(info, start, depth);
      case 5:
        return readMap(info, start, depth);
      case 6:
        return readLink(info, start);
      default:
        return readSimple(info, start);
    }
  }

  private IpldNode readList(int info, int start, int depth) {
    int n = length(info, start); // each item takes at least one byte
    if (depth >= maxDepth) {
      throw error(start, "nesting deeper than the limit of " + maxDepth);
    }
    IpldNode[] items = new IpldNode[Math.min(n, INITIAL_CAPACITY)];
    for (int i = 0; i < n; i++) {
      if (i == items.length) {
        items = Arrays.copyOf(items, grow(i, n));
      }
      items[i] = read(depth + 1);
    }
    return IpldList.wrap(items);
  }

  private IpldNode readMap(int info, int start, int depth) {
    long count = argument(info, start);
    if (Long.compareUnsigned(count, (in.length - pos) / 2) > 0) {
      throw error(
          start,
          "map of "
              + Long.toUnsignedString(count)
              + " entries cannot fit in the "
              + (in.length - pos)
              + " remaining bytes");
    }
    if (depth >= maxDepth) {
      throw error(start, "nesting deeper than the limit of " + maxDepth);
    }
    int n = (int) count;
    String[] keys = new String[Math.min(n, INITIAL_CAPACITY)];
    IpldNode[] values = new IpldNode[keys.length];
    int prevOff = -1;
    int prevLen = 0;
    for (int i = 0; i < n; i++) {
      if (i == keys.length) {
        keys = Arrays.copyOf(keys, grow(i, n));
        values = Arrays.copyOf(values, keys.length);
      }
      int keyStart = pos;
      int ib = u8();
      if (ib >>> 5 != 3) {
        throw error(keyStart, "map key must be a string, found major type " + (ib >>> 5));
      }
      int len = length(ib & 0x1f, keyStart);
      int off = pos;
      if (prevOff >= 0) {
        int c = compareKeys(prevOff, prevLen, off, len);
        if (c == 0) {
          throw error(keyStart, "duplicate map key \"" + string(off, len) + "\"");
        }
        if (c > 0) {
          throw error(
              keyStart,
              "map key \""
                  + string(off, len)
                  + "\" out of canonical order (length-first, then"
                  + " bytewise)");
        }
      }
      keys[i] = string(off, len);
      pos += len;
      prevOff = off;
      prevLen = len;
      values[i] = read(depth + 1);
    }
    return IpldMap.wrapCborOrdered(keys, values);
  }

  private static int grow(int current, int claimed) {
    return (int) Math.min(claimed, current * 2L);
  }

  private int compareKeys(int aOff, int aLen, int bOff, int bLen) {
    if (aLen != bLen) {
      return aLen - bLen;
    }
    return Arrays.compareUnsigned(in, aOff, aOff + aLen, in, bOff, bOff + bLen);
  }

  private IpldNode readLink(int info, int start) {
    long tag = argument(info, start);
    if (tag != 42) {
      throw error(start, "unsupported tag " + Long.toUnsignedString(tag) + "; only tag 42 (CID)");
    }
    int bytesStart = pos;
    int ib = u8();
    if (ib >>> 5 != 2) {
      throw error(bytesStart, "tag 42 must wrap a byte string, found major type " + (ib >>> 5));
    }
    int len = length(ib & 0x1f, bytesStart);
    if (len == 0 || in[pos] != 0) {
      throw error(pos, "CID in tag 42 must start with the 0x00 identity multibase prefix");
    }
    ByteBuffer cidBytes = ByteBuffer.wrap(in, pos + 1, len - 1);
    Cid cid;
    try {
      cid = Cid.read(cidBytes);
    } catch (IllegalArgumentException e) {
      throw Errors.at(CODEC, pos + 1, "invalid CID in tag 42: " + e.getMessage(), e);
    }
    if (cidBytes.hasRemaining()) {
      throw error(cidBytes.position(), "trailing bytes after the CID in tag 42");
    }
    pos += len;
    return new IpldLink(cid);
  }

  private IpldNode readSimple(int info, int start) {
    switch (info) {
      case 20:
        return IpldBool.FALSE;
      case 21:
        return IpldBool.TRUE;
      case 22:
        return IpldNull.INSTANCE;
      case 23:
        throw error(start, "undefined is not part of the IPLD data model");
      case 25:
      case 26:
        throw error(
            start,
            "floats must be encoded as 64-bit; found a " + (info == 25 ? 16 : 32) + "-bit float");
      case 27:
        {
          need(8, start);
          double d = Double.longBitsToDouble(readLong());
          if (!Double.isFinite(d)) {
            throw error(start, "NaN and Infinity are not part of the IPLD data model");
          }
          return new IpldFloat(d);
        }
      case 31:
        throw error(start, "indefinite-length items and break codes are not allowed");
      default:
        throw error(start, "unsupported simple value (major type 7, additional info " + info + ")");
    }
  }

  /** Reads a definite length and checks it against the remaining input. */
  private int length(int info, int start) {
    long len = argument(info, start);
    int remaining = in.length - pos;
    if (Long.compareUnsigned(len, remaining) > 0) {
      throw error(
          start,
          "length "
              + Long.toUnsignedString(len)
              + " exceeds the "
              + remaining
              + " remaining bytes");
    }
    return (int) len;
  }

  /** Reads the argument of a header, enforcing the shortest encoding. Unsigned 64-bit. */
  private long argument(int info, int start) {
    if (info < 24) {
      return info;
    }
    long v;
    long min;
    switch (info) {
      case 24:
        need(1, start);
        v = in[pos++] & 0xff;
        min = 24;
        break;
      case 25:
        need(2, start);
        v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
        pos += 2;
        min = 0x100;
        break;
      case 26:
        need(4, start);
        v = readInt() & 0xffff_ffffL;
        min = 0x10000;
        break;
      case 27:
        need(8, start);
        v = readLong();
        min = 0x1_0000_0000L;
        break;
      case 31:
        throw error(start, "indefinite-length items are not allowed");
      default:
        throw error(start, "reserved additional info " + info);
    }
    if (Long.compareUnsigned(v, min) < 0) {
      throw error(start, "integer or length " + v + " is not in its shortest encoding");
    }
    return v;
  }

  private String string(int off, int len) {
    try {
      return Utf8.decode(in, off, len);
    } catch (CharacterCodingException e) {
      throw error(off, "string is not valid UTF-8");
    }
  }

  private int u8() {
    if (pos >= in.length) {
      throw error(pos, "unexpected end of input");
    }
    return in[pos++] & 0xff;
  }

  private void need(int n, int start) {
    if (in.length - pos < n) {
      throw error(start, "truncated header: needs " + n + " more bytes");
    }
  }

  private int readInt() {
    int v =
        ((in[pos] & 0xff) << 24)
            | ((in[pos + 1] & 0xff) << 16)
            | ((in[pos + 2] & 0xff) << 8)
            | (in[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  private long readLong() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos++] & 0xff);
    }
    return v;
  }

  private static CodecException error(int offset, String problem) {
    return Errors.at(CODEC, offset, problem);
  }
}
