package dev.tally.multiformats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A content identifier. CIDv0 is a bare sha2-256 multihash implying dag-pb; CIDv1 is {@code
 * varint(1) varint(codec) multihash}. Immutable; equality, hash code and ordering follow the binary
 * form, so a CIDv0 and the CIDv1 of the same block are different CIDs (compare {@link #multihash()}
 * to ask whether they name the same bytes).
 */
public final class Cid implements Comparable<Cid> {
  private static final int V0_TEXT_LENGTH = 46;
  private static final int V0_BINARY_LENGTH = 34;
  private static final String INVALID_PREFIX = "invalid CID: ";

  private final int version;
  private final long codec;
  private final Multihash multihash;
  private final byte[] bytes;
  private final int hash;
  private String text;

  private Cid(int version, long codec, Multihash multihash, byte[] bytes) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A CIDv0; the multihash must be sha2-256 with a 32-byte digest. */
  public static Cid v0(Multihash sha256) {
    Objects.requireNonNull(sha256, "multihash");
    if (sha256.code() != Multicodec.SHA2_256 || sha256.digestLength() != 32) {
      throw new CidFormatException(
          "CIDv0 requires a 32-byte sha2-256 multihash, got "
              + Multicodec.describe(sha256.code())
              + " with "
              + sha256.digestLength()
              + " digest bytes");
    }
    // Both are immutable and a CIDv0 is exactly its multihash, so they share one array.
    return new Cid(0, Multicodec.DAG_PB, sha256, sha256.rawBytes());
  }

  public static Cid v1(long codec, Multihash multihash) {
    Objects.requireNonNull(multihash, "multihash");
    if (codec < 0) {
      throw new CidFormatException("CID codec must be non-negative");
    }
    int header = 1 + Varint.encodedLength(codec);
    byte[] b = new byte[header + multihash.encodedLength()];
    b[0] = 1;
    Varint.write(codec, b, 1);
    multihash.writeTo(b, header);
    return new Cid(1, codec, multihash, b);
  }

  /** Parses text: a 46-character {@code Qm…} CIDv0, or a multibase-prefixed CIDv1 in any base. */
  public static Cid parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new CidFormatException("empty string is not a CID");
    }
    if (text.charAt(0) == 'Q') {
      if (text.length() != V0_TEXT_LENGTH || !text.startsWith("Qm")) {
        throw new CidFormatException(
            "invalid CIDv0 '"
                + abbreviate(text)
                + "': expected 46 base58btc characters starting with 'Qm', got "
                + text.length()
                + " characters");
      }
      byte[] raw;
      try {
        raw = Multibase.BASE58BTC.decodeRaw(text);
      } catch (MultibaseException e) {
        throw new CidFormatException("invalid CIDv0 '" + text + "': " + e.getMessage(), e);
      }
      return decodeWithContext(raw, text);
    }
    byte[] raw;
    try {
      raw = Multibase.decode(text);
    } catch (MultibaseException e) {
      throw new CidFormatException("invalid CID '" + abbreviate(text) + "': " + e.getMessage(), e);
    }
    return decodeWithContext(raw, text);
  }

  /** Decodes exactly one binary CID; trailing bytes are an error. */
  public static Cid decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Cid cid = read(buf);
    if (buf.hasRemaining()) {
      throw new CidFormatException(
          "CID has " + buf.remaining() + " trailing byte(s) after its multihash");
    }
    return cid;
  }

  /**
   * Reads one binary CID at the buffer's position and advances past it; on error the position is
   * unchanged. Allocates only the CID itself, after checking the buffer holds it.
   */
  public static Cid read(ByteBuffer buf) {
    int start = buf.position();
    try {
      return readUnchecked(buf);
    } catch (CidFormatException e) {
      buf.position(start);
      throw e;
    } catch (MultiformatException e) {
      buf.position(start);
      throw new CidFormatException(INVALID_PREFIX + e.getMessage(), e);
    }
  }

  private static Cid readUnchecked(ByteBuffer buf) {
    int start = buf.position();
    if (buf.remaining() >= 2
        && buf.get(start) == (byte) Multicodec.SHA2_256
        && buf.get(start + 1) == 32) {
      if (buf.remaining() < V0_BINARY_LENGTH) {
        throw new CidFormatException(
            "truncated CIDv0: need 34 bytes, only " + buf.remaining() + " remain");
      }
      return v0(Multihash.read(buf));
    }
    long version = Varint.read(buf);
    if (version == 0) {
      throw new CidFormatException(
          "CID version 0 may not be written in the versioned binary form; CIDv0 is a bare"
              + " sha2-256 multihash");
    }
    if (version != 1) {
      throw new CidFormatException(
          version == Multicodec.SHA2_256
              ? "CIDv0 multihash must have a 32-byte digest"
              : "unsupported CID version " + version + " (only 0 and 1 exist)");
    }
    long codec = Varint.read(buf);
    Multihash mh = Multihash.read(buf);
    int end = buf.position();
    byte[] b = new byte[end - start];
    buf.position(start);
    buf.get(b);
    return new Cid(1, codec, mh, b);
  }

  public int version() {
    return version;
  }

  /** Content codec; dag-pb for CIDv0. */
  public long codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int encodedLength() {
    return bytes.length;
  }

  public void writeTo(ByteBuffer dst) {
    dst.put(bytes);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  /** Writes the binary CID at {@code dst[off]}; returns the number of bytes written. */
  public int writeTo(byte[] dst, int off) {
    System.arraycopy(bytes, 0, dst, off, bytes.length);
    return bytes.length;
  }

  /** The CIDv1 naming the same content (itself when already v1). */
  public Cid toV1() {
    return version == 1 ? this : v1(codec, multihash);
  }

  /** The CIDv0 naming the same content; only dag-pb with a 32-byte sha2-256 has one. */
  public Cid toV0() {
    if (version == 0) {
      return this;
    }
    if (codec != Multicodec.DAG_PB) {
      throw new CidFormatException(
          "only dag-pb CIDs have a CIDv0 form; this one is " + Multicodec.describe(codec));
    }
    return v0(multihash);
  }

  /** Canonical text: base58btc for CIDv0, base32 for CIDv1. */
  @Override
  public String toString() {
    return version == 0 ? Multibase.BASE58BTC.encodeRaw(bytes) : Multibase.BASE32.encode(bytes);
  }

  /** Text in the given base; a CIDv0 has only its base58btc form. */
  public String toString(Multibase base) {
    if (version == 0) {
      if (base != Multibase.BASE58BTC) {
        throw new CidFormatException(
            "a CIDv0 is written only in base58btc; convert with toV1() to use "
                + base.canonicalName());
      }
      return toString();
    }
    return base.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid c && hash == c.hash && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Cid o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** The internal array; callers in this package must not modify it. */
  byte[] rawBytes() {
    return bytes;
  }

  private static Cid decodeWithContext(byte[] raw, String text) {
    try {
      return decode(raw);
    } catch (CidFormatException e) {
      throw new CidFormatException("invalid CID '" + abbreviate(text) + "': " + e.getMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
