package dev.tally.car;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.MultiformatException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Canonical DAG-CBOR for exactly the CAR header shape {@code {roots: [&Any], version: Int}}. The
 * header is the only CBOR a CAR reader must understand; keeping it here lets the reader reject
 * anything else (extra keys, non-minimal integers, wrong key order) with a precise message.
 */
final class HeaderCodec {
  private static final byte[] ROOTS = "roots".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION = "version".getBytes(StandardCharsets.US_ASCII);
  private static final int MAJOR_UINT = 0;
  private static final int MAJOR_BYTES = 2;
  private static final int MAJOR_TEXT = 3;
  private static final int MAJOR_ARRAY = 4;
  private static final int MAJOR_MAP = 5;
  private static final int MAJOR_TAG = 6;
  private static final int TAG_CID = 42;

  /** The body of the CARv2 pragma: {@code {version: 2}}, the only accepted header without roots. */
  static final byte[] V2_PRAGMA_BODY = {(byte) 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02};

  record Decoded(long version, List<Cid> roots) {}

  private HeaderCodec() {}

  static byte[] encode(List<Cid> roots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 40 * roots.size());
    writeHead(out, MAJOR_MAP, 2);
    writeHead(out, MAJOR_TEXT, ROOTS.length);
    out.writeBytes(ROOTS);
    writeHead(out, MAJOR_ARRAY, roots.size());
    for (Cid root : roots) {
      byte[] cid = root.bytes();
      writeHead(out, MAJOR_TAG, TAG_CID);
      // DAG-CBOR links carry a leading 0x00 (the identity multibase prefix) before the binary CID.
      writeHead(out, MAJOR_BYTES, cid.length + 1L);
      out.write(0);
      out.writeBytes(cid);
    }
    writeHead(out, MAJOR_TEXT, VERSION.length);
    out.writeBytes(VERSION);
    writeHead(out, MAJOR_UINT, 1);
    return out.toByteArray();
  }

  private static void writeHead(ByteArrayOutputStream out, int major, long value) {
    int mt = major << 5;
    if (value < 24) {
      out.write(mt | (int) value);
    } else if (value < 0x100) {
      out.write(mt | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(mt | 25);
      out.write((int) (value >>> 8));
      out.write((int) value);
    } else if (value < 0x1_0000_0000L) {
      out.write(mt | 26);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (value >>> shift));
      }
    } else {
      out.write(mt | 27);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (value >>> shift));
      }
    }
  }

  /**
   * Decodes a header block. Returns version 2 with no roots only for the exact CARv2 pragma body.
   *
   * @param base archive offset of the header block, for error messages
   */
  static Decoded decode(byte[] bytes, long base) {
    if (Arrays.equals(bytes, V2_PRAGMA_BODY)) {
      return new Decoded(2, List.of());
    }
    Parser p = new Parser(bytes, base);
    long entries = p.head(MAJOR_MAP, "the header map");
    if (entries != 2) {
      throw p.error(
          "CAR header map has " + entries + " entries, expected exactly roots and version");
    }
    p.key(ROOTS);
    long count = p.head(MAJOR_ARRAY, "the roots array");
    // Every root takes at least 3 bytes, so a count beyond the input is rejected before allocating.
    if (count > p.remaining() / 3) {
      throw p.error(
          "CAR header announces "
              + count
              + " roots but holds only "
              + p.remaining()
              + " more bytes");
    }
    List<Cid> roots = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      roots.add(p.link(i));
    }
    p.key(VERSION);
    long version = p.head(MAJOR_UINT, "the version");
    if (p.remaining() != 0) {
      throw p.error("CAR header has " + p.remaining() + " trailing bytes after the map");
    }
    if (version == 2) {
      throw p.error(
          "CARv2 must start with the exact 11-byte pragma, not a longer {version: 2} header");
    }
    return new Decoded(version, roots);
  }

  private static final class Parser {
    private final byte[] b;
    private final long base;
    private int pos;

    Parser(byte[] b, long base) {
      this.b = b;
      this.base = base;
    }

    int remaining() {
      return b.length - pos;
    }

    CarException error(String message) {
      return CarException.at(base + pos, message);
    }

    /** Reads a data item head of the given major type with a minimally encoded argument. */
    long head(int major, String what) {
      if (pos >= b.length) {
        throw error("CAR header ends where " + what + " was expected");
      }
      int start = pos;
      int initial = b[pos++] & 0xff;
      int actualMajor = initial >>> 5;
      if (actualMajor != major) {
        pos = start;
        throw error(
            "CAR header has CBOR major type "
                + actualMajor
                + " where "
                + what
                + " (major type "
                + major
                + ") was expected");
      }
      int info = initial & 0x1f;
      if (info < 24) {
        return info;
      }
      int size;
      long min;
      switch (info) {
        case 24 -> {
          size = 1;
          min = 24;
        }
        case 25 -> {
          size = 2;
          min = 0x100;
        }
        case 26 -> {
          size = 4;
          min = 0x10000;
        }
        case 27 -> {
          size = 8;
          min = 0x1_0000_0000L;
        }
        default -> {
          pos = start;
          throw error(
              "CAR header uses CBOR additional info "
                  + info
                  + " for "
                  + what
                  + " (indefinite lengths and reserved values are not DAG-CBOR)");
        }
      }
      if (remaining() < size) {
        pos = start;
        throw error("CAR header is truncated inside " + what);
      }
      long value = 0;
      for (int i = 0; i < size; i++) {
        value = (value << 8) | (b[pos++] & 0xff);
      }
      if (Long.compareUnsigned(value, min) < 0) {
        pos = start;
        throw error("CAR header encodes " + what + " with a non-minimal CBOR length");
      }
      if (value < 0) {
        pos = start;
        throw error("CAR header value of " + what + " is out of range");
      }
      return value;
    }

    void key(byte[] expected) {
      String name = new String(expected, StandardCharsets.US_ASCII);
      int start = pos;
      long len = head(MAJOR_TEXT, "the key \"" + name + "\"");
      if (len != expected.length
          || remaining() < expected.length
          || !Arrays.equals(b, pos, pos + expected.length, expected, 0, expected.length)) {
        pos = start;
        throw error(
            "CAR header must hold the keys roots and version in canonical order; expected \""
                + name
                + "\" here");
      }
      pos += expected.length;
    }

    Cid link(long index) {
      int start = pos;
      long tag = head(MAJOR_TAG, "root " + index + " (a tag 42 link)");
      if (tag != TAG_CID) {
        pos = start;
        throw error("CAR header root " + index + " has CBOR tag " + tag + ", expected 42 (CID)");
      }
      long len = head(MAJOR_BYTES, "the bytes of root " + index);
      if (len > remaining()) {
        pos = start;
        throw error(
            "CAR header root "
                + index
                + " announces "
                + len
                + " bytes but only "
                + remaining()
                + " remain");
      }
      if (len < 2 || b[pos] != 0) {
        pos = start;
        throw error("CAR header root " + index + " must be a 0x00 byte followed by a binary CID");
      }
      try {
        Cid cid = Cid.decode(Arrays.copyOfRange(b, pos + 1, pos + (int) len));
        pos += (int) len;
        return cid;
      } catch (MultiformatException e) {
        pos = start;
        throw CarException.at(
            base + pos, "CAR header root " + index + " is not a valid CID: " + e.getMessage(), e);
      }
    }
  }
}
