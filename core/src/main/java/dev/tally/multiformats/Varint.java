package dev.tally.multiformats;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * Unsigned LEB128 varints as the multiformats spec defines them: minimal encoding only and at most
 * nine bytes, so every value lies in {@code 0 .. 2^63-1} and fits a non-negative {@code long}.
 */
public final class Varint {
  /** The spec caps varints at nine bytes (63 payload bits). */
  public static final int MAX_LENGTH = 9;

  private Varint() {}

  /** Number of bytes {@link #encode(long)} produces for {@code v}. */
  public static int encodedLength(long v) {
    requireNonNegative(v);
    int bits = 64 - Long.numberOfLeadingZeros(v | 1);
    return (bits + 6) / 7;
  }

  public static byte[] encode(long v) {
    byte[] out = new byte[encodedLength(v)];
    write(v, out, 0);
    return out;
  }

  /** Writes {@code v} at {@code dst[off]} and returns the number of bytes written. */
  public static int write(long v, byte[] dst, int off) {
    requireNonNegative(v);
    int i = off;
    while ((v & ~0x7FL) != 0) {
      dst[i++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    dst[i++] = (byte) v;
    return i - off;
  }

  public static void write(long v, ByteBuffer dst) {
    requireNonNegative(v);
    while ((v & ~0x7FL) != 0) {
      dst.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    dst.put((byte) v);
  }

  public static void write(long v, OutputStream out) throws IOException {
    requireNonNegative(v);
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Reads one varint at the buffer's position and advances past it. */
  public static long read(ByteBuffer buf) {
    long value = 0;
    int start = buf.position();
    for (int i = 0; i < MAX_LENGTH; i++) {
      if (!buf.hasRemaining()) {
        buf.position(start);
        throw new VarintException(
            "truncated varint: input ends after " + i + " byte(s) at offset " + start);
      }
      int b = buf.get() & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          buf.position(start);
          throw overlong(start);
        }
        return value;
      }
    }
    buf.position(start);
    throw tooLong(start);
  }

  /**
   * Reads one varint from a stream.
   *
   * @throws EOFException if the stream ends before the first byte
   * @throws VarintException if the stream ends inside the varint or the varint is malformed
   */
  public static long read(InputStream in) throws IOException {
    OptionalLong v = readOrEof(in);
    if (v.isEmpty()) {
      throw new EOFException("end of stream before a varint");
    }
    return v.getAsLong();
  }

  /** Like {@link #read(InputStream)} but returns empty on a clean end of stream. */
  public static OptionalLong readOrEof(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_LENGTH; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return OptionalLong.empty();
        }
        throw new VarintException("truncated varint: stream ends after " + i + " byte(s)");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new VarintException("non-minimal varint: " + (i + 1) + " bytes ending in 0x00");
        }
        return OptionalLong.of(value);
      }
    }
    throw new VarintException("varint longer than " + MAX_LENGTH + " bytes");
  }

  /**
   * Decodes the varint starting at {@code b[off]}; {@code limit} is the exclusive end index of the
   * readable region (like {@link ByteBuffer#limit()}), not a length.
   */
  public static long decode(byte[] b, int off, int limit) {
    long value = 0;
    int end = Math.min(limit, b.length);
    for (int i = 0; i < MAX_LENGTH; i++) {
      int p = off + i;
      if (p >= end || p < 0) {
        throw new VarintException(
            "truncated varint: input ends after " + i + " byte(s) at offset " + off);
      }
      int x = b[p] & 0xFF;
      value |= (long) (x & 0x7F) << (7 * i);
      if ((x & 0x80) == 0) {
        if (x == 0 && i > 0) {
          throw overlong(off);
        }
        return value;
      }
    }
    throw tooLong(off);
  }

  /** Length in bytes of the (valid) varint starting at {@code b[off]}; see {@link #decode}. */
  public static int decodedLength(byte[] b, int off, int limit) {
    long v = decode(b, off, limit);
    return encodedLength(v);
  }

  private static VarintException overlong(int off) {
    return new VarintException(
        "non-minimal varint at offset " + off + ": trailing 0x00 byte (encode the value shorter)");
  }

  private static VarintException tooLong(int off) {
    return new VarintException(
        "varint at offset " + off + " is longer than " + MAX_LENGTH + " bytes (max 2^63-1)");
  }

  private static void requireNonNegative(long v) {
    if (v < 0) {
      throw new VarintException(
          "varint value must be in 0..2^63-1, got " + Long.toUnsignedString(v));
    }
  }
}
