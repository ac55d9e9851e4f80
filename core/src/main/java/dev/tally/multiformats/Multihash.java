package dev.tally.multiformats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A self-describing hash: {@code varint(code) varint(length) digest}. Immutable; equality, hash
 * code and ordering follow the encoded bytes; {@link #toString()} is base58btc as in peer IDs and
 * CIDv0.
 */
public final class Multihash implements Comparable<Multihash> {
  /**
   * Longest digest accepted. Real hash digests are at most 64 bytes; the bound exists for identity
   * multihashes so that a length prefix can never make a parser allocate without limit.
   */
  public static final int MAX_DIGEST_LENGTH = 256;

  private static final ThreadLocal<HashFunction.Digester[]> DIGESTERS =
      ThreadLocal.withInitial(() -> new HashFunction.Digester[HashFunction.values().length]);

  private final byte[] bytes;
  private final long code;
  private final int digestOffset;
  private int hash;

  private Multihash(byte[] bytes, long code, int digestOffset) {
    this.bytes = bytes;
    this.code = code;
    this.digestOffset = digestOffset;
  }

  /** A multihash of an already computed digest (copied). */
  public static Multihash of(long code, byte[] digest) {
    Objects.requireNonNull(digest, "digest");
    checkLength(code, digest.length);
    int header = Varint.encodedLength(code) + Varint.encodedLength(digest.length);
    byte[] b = new byte[header + digest.length];
    int p = Varint.write(code, b, 0);
    Varint.write(digest.length, b, p);
    System.arraycopy(digest, 0, b, header, digest.length);
    return new Multihash(b, code, header);
  }

  /** Decodes exactly one multihash; trailing bytes are an error. */
  public static Multihash decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    Multihash mh = read(buf);
    if (buf.hasRemaining()) {
      throw new MultihashException(
          "multihash has "
              + buf.remaining()
              + " trailing byte(s) after its "
              + mh.digestLength()
              + "-byte digest");
    }
    return mh;
  }

  /**
   * Reads one multihash at the buffer's position and advances past it. On error the position is
   * left unchanged. Allocates only after checking that the buffer holds the whole digest.
   */
  public static Multihash read(ByteBuffer buf) {
    int start = buf.position();
    long code;
    long length;
    try {
      code = Varint.read(buf);
      length = Varint.read(buf);
    } catch (VarintException e) {
      buf.position(start);
      throw new MultihashException("malformed multihash header: " + e.getMessage(), e);
    }
    int header = buf.position() - start;
    try {
      if (length > MAX_DIGEST_LENGTH) {
        throw new MultihashException(
            "multihash digest length "
                + length
                + " exceeds the limit of "
                + MAX_DIGEST_LENGTH
                + " bytes");
      }
      if (length > buf.remaining()) {
        throw new MultihashException(
            "truncated multihash: header announces "
                + length
                + " digest bytes but only "
                + buf.remaining()
                + " remain");
      }
      checkLength(code, (int) length);
    } catch (MultihashException e) {
      buf.position(start);
      throw e;
    }
    byte[] b = new byte[header + (int) length];
    buf.position(start);
    buf.get(b);
    return new Multihash(b, code, header);
  }

  /** Parses the base58btc text of {@link #toString()} (the form of legacy peer IDs). */
  public static Multihash parse(String base58btc) {
    Objects.requireNonNull(base58btc, "text");
    try {
      return decode(Multibase.BASE58BTC.decodeRaw(base58btc));
    } catch (MultibaseException e) {
      throw new MultihashException("invalid multihash text: " + e.getMessage(), e);
    }
  }

  /** Hashes {@code data} with the function named by {@code code}. */
  public static Multihash sum(long code, byte[] data) {
    return sum(code, data, 0, data.length);
  }

  public static Multihash sum(long code, byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    HashFunction f = HashFunction.require(code);
    if (!f.canCreate) {
      throw new MultihashException(
          Multicodec.describe(code)
              + " is accepted only to verify existing content; choose sha2-256 for new data");
    }
    if (f == HashFunction.IDENTITY) {
      return of(code, Arrays.copyOfRange(data, off, off + len));
    }
    HashFunction.Digester d = digester(f);
    int header = Varint.encodedLength(code) + Varint.encodedLength(f.length);
    byte[] b = new byte[header + f.length];
    int p = Varint.write(code, b, 0);
    Varint.write(f.length, b, p);
    d.update(data, off, len);
    d.finish(b, header, f.length);
    return new Multihash(b, code, header);
  }

  /** The sha2-256 multihash of {@code data}, the default for CIDs. */
  public static Multihash sha256(byte[] data) {
    return sum(Multicodec.SHA2_256, data, 0, data.length);
  }

  /** A streaming hasher producing a multihash of the function's natural length. */
  public static Hasher hasher(long code) {
    HashFunction f = HashFunction.require(code);
    if (!f.canCreate) {
      throw new MultihashException(
          Multicodec.describe(code) + " is accepted only to verify existing content");
    }
    return new StreamingHasher(f, f.newDigester());
  }

  /** Whether Tally can compute (and so verify) this hash function. */
  public static boolean isSupported(long code) {
    return HashFunction.of(code).isPresent();
  }

  public long code() {
    return code;
  }

  public int digestLength() {
    return bytes.length - digestOffset;
  }

  public byte[] digest() {
    return Arrays.copyOfRange(bytes, digestOffset, bytes.length);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int encodedLength() {
    return bytes.length;
  }

  public boolean isIdentity() {
    return code == Multicodec.IDENTITY;
  }

  public void writeTo(ByteBuffer dst) {
    dst.put(bytes);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  /** Writes the encoded multihash at {@code dst[off]} and returns the number of bytes written. */
  public int writeTo(byte[] dst, int off) {
    System.arraycopy(bytes, 0, dst, off, bytes.length);
    return bytes.length;
  }

  /** Re-hashes {@code data} and compares; throws if the function is not supported. */
  public boolean matches(byte[] data) {
    return matches(data, 0, data.length);
  }

  public boolean matches(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    HashFunction f = HashFunction.require(code);
    int n = digestLength();
    if (f == HashFunction.IDENTITY) {
      return Arrays.equals(bytes, digestOffset, bytes.length, data, off, off + len);
    }
    HashFunction.Digester d = digester(f);
    d.update(data, off, len);
    byte[] out = new byte[n];
    d.finish(out, 0, n);
    return Arrays.equals(bytes, digestOffset, bytes.length, out, 0, n);
  }

  /** Compares the digest with {@code other} without copying either. */
  boolean digestEquals(byte[] other, int off, int len) {
    return Arrays.equals(bytes, digestOffset, bytes.length, other, off, off + len);
  }

  /** The internal array; callers in this package must not modify it. */
  byte[] rawBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Multihash o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** Base58btc, the conventional text form (CIDv0 bodies and legacy peer IDs). */
  @Override
  public String toString() {
    return Multibase.BASE58BTC.encodeRaw(bytes);
  }

  private static void checkLength(long code, int length) {
    if (code < 0) {
      throw new MultihashException("multihash code must be non-negative");
    }
    HashFunction f = HashFunction.find(code);
    int max = f == null ? MAX_DIGEST_LENGTH : f.maxDigestLength();
    if (length > max) {
      throw new MultihashException(
          "digest of "
              + length
              + " bytes is too long for "
              + Multicodec.describe(code)
              + " (at most "
              + max
              + ")");
    }
  }

  private static HashFunction.Digester digester(HashFunction f) {
    HashFunction.Digester[] cache = DIGESTERS.get();
    HashFunction.Digester d = cache[f.ordinal()];
    if (d == null) {
      d = f.newDigester();
      cache[f.ordinal()] = d;
    }
    return d;
  }

  private static final class StreamingHasher implements Hasher {
    private final HashFunction f;
    private final HashFunction.Digester d;

    StreamingHasher(HashFunction f, HashFunction.Digester d) {
      this.f = f;
      this.d = d;
    }

    @Override
    public long code() {
      return f.code;
    }

    @Override
    public Hasher update(byte[] data, int off, int len) {
      Objects.checkFromIndexSize(off, len, data.length);
      d.update(data, off, len);
      return this;
    }

    @Override
    public Hasher update(ByteBuffer data) {
      d.update(data);
      return this;
    }

    @Override
    public Multihash digest() {
      int n = d.naturalLength();
      int header = Varint.encodedLength(f.code) + Varint.encodedLength(n);
      byte[] b = new byte[header + n];
      int p = Varint.write(f.code, b, 0);
      Varint.write(n, b, p);
      d.finish(b, header, n);
      return new Multihash(b, f.code, header);
    }
  }
}
