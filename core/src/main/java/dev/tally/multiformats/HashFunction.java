package dev.tally.multiformats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;

/** The hash functions Tally can compute, keyed by multicodec code. */
enum HashFunction {
  IDENTITY(Multicodec.IDENTITY, 0, true, null),
  // SHA-1 is broken for collisions: existing content may be verified but never newly addressed.
  SHA1(Multicodec.SHA1, 20, false, () -> new Jdk(jdk("SHA-1"))),
  SHA2_256(Multicodec.SHA2_256, 32, true, () -> new Jdk(jdk("SHA-256"))),
  SHA2_512(Multicodec.SHA2_512, 64, true, () -> new Jdk(jdk("SHA-512"))),
  SHA3_256(Multicodec.SHA3_256, 32, true, () -> new Bc(new SHA3Digest(256))),
  SHA3_512(Multicodec.SHA3_512, 64, true, () -> new Bc(new SHA3Digest(512))),
  BLAKE2B_256(Multicodec.BLAKE2B_256, 32, true, () -> new Bc(new Blake2bDigest(256))),
  BLAKE2B_512(Multicodec.BLAKE2B_512, 64, true, () -> new Bc(new Blake2bDigest(512))),
  BLAKE3(Multicodec.BLAKE3, 32, true, () -> new Xof(new Blake3Digest(256)));

  final long code;

  /** Natural output length; 0 for identity, whose digest is the input itself. */
  final int length;

  final boolean canCreate;
  private final Supplier<Digester> factory;

  HashFunction(long code, int length, boolean canCreate, Supplier<Digester> factory) {
    this.code = code;
    this.length = length;
    this.canCreate = canCreate;
    this.factory = factory;
  }

  private static final HashFunction[] ALL = values();

  static Optional<HashFunction> of(long code) {
    return Optional.ofNullable(find(code));
  }

  /** Lookup without allocation (values() and Optional would allocate on the hashing path). */
  static HashFunction find(long code) {
    for (HashFunction f : ALL) {
      if (f.code == code) {
        return f;
      }
    }
    return null;
  }

  static HashFunction require(long code) {
    HashFunction f = find(code);
    if (f != null) {
      return f;
    }
    throw new MultihashException(
        "unsupported hash function "
            + Multicodec.describe(code)
            + "; supported: identity, sha1 (verify only), sha2-256, sha2-512,"
            + " sha3-256, sha3-512, blake2b-256, blake2b-512, blake3");
  }

  /** Longest digest a multihash of this function may carry. */
  int maxDigestLength() {
    return this == IDENTITY || this == BLAKE3 ? Multihash.MAX_DIGEST_LENGTH : length;
  }

  Digester newDigester() {
    return this == IDENTITY ? new Identity() : factory.get();
  }

  private static final java.util.Map<String, MessageDigest> PROTOTYPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Cloning a prototype skips the provider lookup that getInstance repeats on every call. */
  private static MessageDigest jdk(String algorithm) {
    MessageDigest proto = PROTOTYPES.computeIfAbsent(algorithm, HashFunction::lookup);
    try {
      return (MessageDigest) proto.clone();
    } catch (CloneNotSupportedException e) {
      return lookup(algorithm);
    }
  }

  private static MessageDigest lookup(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e);
    }
  }

  /** The minimal interface shared by JDK and Bouncy Castle digests. */
  interface Digester {
    void update(byte[] b, int off, int len);

    void update(ByteBuffer b);

    /** Writes the first {@code len} output bytes at {@code out[off]} and resets. */
    void finish(byte[] out, int off, int len);

    /** Output length when finishing without an explicit length. */
    int naturalLength();
  }

  static final class Jdk implements Digester {
    private final MessageDigest md;

    Jdk(MessageDigest md) {
      this.md = md;
    }

    @Override
    public void update(byte[] b, int off, int len) {
      md.update(b, off, len);
    }

    @Override
    public void update(ByteBuffer b) {
      md.update(b);
    }

    @Override
    public void finish(byte[] out, int off, int len) {
      int n = md.getDigestLength();
      if (len == n) {
        try {
          md.digest(out, off, len);
        } catch (java.security.DigestException e) {
          throw new IllegalStateException(e);
        }
      } else {
        System.arraycopy(md.digest(), 0, out, off, len);
      }
    }

    @Override
    public int naturalLength() {
      return md.getDigestLength();
    }
  }

  static class Bc implements Digester {
    final Digest d;

    Bc(Digest d) {
      this.d = d;
    }

    @Override
    public void update(byte[] b, int off, int len) {
      d.update(b, off, len);
    }

    @Override
    public void update(ByteBuffer b) {
      if (b.hasArray()) {
        d.update(b.array(), b.arrayOffset() + b.position(), b.remaining());
        b.position(b.limit());
      } else {
        byte[] chunk = new byte[Math.min(b.remaining(), 8192)];
        while (b.hasRemaining()) {
          int n = Math.min(chunk.length, b.remaining());
          b.get(chunk, 0, n);
          d.update(chunk, 0, n);
        }
      }
    }

    @Override
    public void finish(byte[] out, int off, int len) {
      int n = d.getDigestSize();
      if (len == n) {
        d.doFinal(out, off);
      } else {
        byte[] full = new byte[n];
        d.doFinal(full, 0);
        System.arraycopy(full, 0, out, off, len);
      }
    }

    @Override
    public int naturalLength() {
      return d.getDigestSize();
    }
  }

  /** BLAKE3 is an extendable-output function: a longer multihash digest reads further output. */
  static final class Xof extends Bc {
    Xof(Blake3Digest d) {
      super(d);
    }

    @Override
    public void finish(byte[] out, int off, int len) {
      ((Blake3Digest) d).doFinal(out, off, len);
    }
  }

  /** Identity "hash": the digest is the input, bounded so a stream cannot grow it without end. */
  static final class Identity implements Digester {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    @Override
    public void update(byte[] b, int off, int len) {
      if (len > Multihash.MAX_DIGEST_LENGTH - buf.size()) {
        throw tooLong();
      }
      buf.write(b, off, len);
    }

    @Override
    public void update(ByteBuffer b) {
      if (b.remaining() > Multihash.MAX_DIGEST_LENGTH - buf.size()) {
        throw tooLong();
      }
      while (b.hasRemaining()) {
        buf.write(b.get());
      }
    }

    @Override
    public void finish(byte[] out, int off, int len) {
      System.arraycopy(buf.toByteArray(), 0, out, off, len);
      buf.reset();
    }

    @Override
    public int naturalLength() {
      return buf.size();
    }

    private static MultihashException tooLong() {
      return new MultihashException(
          "identity multihash input exceeds " + Multihash.MAX_DIGEST_LENGTH + " bytes");
    }
  }
}
