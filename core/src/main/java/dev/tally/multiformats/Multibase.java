package dev.tally.multiformats;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The multibase encodings: text forms of bytes prefixed by one character naming the base. Names and
 * prefixes follow multiformats/multibase's {@code multibase.csv}.
 */
public enum Multibase {
  BASE2("0", "base2", rfc("01", 1, false, false)),
  BASE8("7", "base8", rfc("01234567", 3, false, false)),
  BASE10("9", "base10", new BaseXCodec("0123456789", false)),
  BASE16("f", "base16", rfc(Alphabets.HEX, 4, false, true)),
  BASE16UPPER("F", "base16upper", rfc(upper(Alphabets.HEX), 4, false, true)),
  BASE32HEX("v", "base32hex", rfc(Alphabets.B32HEX, 5, false, true)),
  BASE32HEXUPPER("V", "base32hexupper", rfc(upper(Alphabets.B32HEX), 5, false, true)),
  BASE32HEXPAD("t", "base32hexpad", rfc(Alphabets.B32HEX, 5, true, true)),
  BASE32HEXPADUPPER("T", "base32hexpadupper", rfc(upper(Alphabets.B32HEX), 5, true, true)),
  BASE32("b", "base32", rfc(Alphabets.B32, 5, false, true)),
  BASE32UPPER("B", "base32upper", rfc(upper(Alphabets.B32), 5, false, true)),
  BASE32PAD("c", "base32pad", rfc(Alphabets.B32, 5, true, true)),
  BASE32PADUPPER("C", "base32padupper", rfc(upper(Alphabets.B32), 5, true, true)),
  BASE32Z("h", "base32z", rfc("ybndrfg8ejkmcpqxot1uwisza345h769", 5, false, false)),
  BASE36("k", "base36", new BaseXCodec(Alphabets.B36, true)),
  BASE36UPPER("K", "base36upper", new BaseXCodec(upper(Alphabets.B36), true)),
  BASE58BTC("z", "base58btc", new BaseXCodec(Alphabets.B58BTC, false)),
  BASE58FLICKR("Z", "base58flickr", new BaseXCodec(Alphabets.B58FLICKR, false)),
  BASE64("m", "base64", rfc(Alphabets.B64 + "+/", 6, false, false)),
  BASE64PAD("M", "base64pad", rfc(Alphabets.B64 + "+/", 6, true, false)),
  BASE64URL("u", "base64url", rfc(Alphabets.B64 + "-_", 6, false, false)),
  BASE64URLPAD("U", "base64urlpad", rfc(Alphabets.B64 + "-_", 6, true, false)),
  BASE256EMOJI("\uD83D\uDE80", "base256emoji", new Base256EmojiCodec());

  private static final Map<Integer, Multibase> BY_PREFIX = new HashMap<>();
  private static final Map<String, Multibase> BY_NAME = new HashMap<>();

  static {
    for (Multibase b : values()) {
      BY_PREFIX.put(b.prefix.codePointAt(0), b);
      BY_NAME.put(b.name, b);
    }
  }

  private final String prefix;
  private final String name;
  private final BaseCodec codec;

  Multibase(String prefix, String name, BaseCodec codec) {
    this.prefix = prefix;
    this.name = name;
    this.codec = codec;
  }

  /** The prefix character (one code point; two UTF-16 chars for base256emoji). */
  public String prefix() {
    return prefix;
  }

  /** The name used by the multibase table, e.g. {@code "base58btc"}. */
  public String canonicalName() {
    return name;
  }

  /** Encodes with the prefix. */
  public String encode(byte[] data) {
    return encode(data, 0, data.length);
  }

  public String encode(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    StringBuilder sb = new StringBuilder(prefix.length() + codec.maxEncodedLength(len));
    sb.append(prefix);
    codec.encode(data, off, len, sb);
    return sb.toString();
  }

  /** Encodes without the prefix. */
  public String encodeRaw(byte[] data) {
    StringBuilder sb = new StringBuilder(codec.maxEncodedLength(data.length));
    codec.encode(data, 0, data.length, sb);
    return sb.toString();
  }

  /** Decodes text of this base that carries no prefix. */
  public byte[] decodeRaw(String text) {
    Objects.requireNonNull(text, "text");
    try {
      return codec.decode(text, 0);
    } catch (MultibaseException e) {
      throw new MultibaseException(name + ": " + e.getMessage(), e);
    }
  }

  /** Decodes prefixed multibase text, choosing the base by its prefix. */
  public static byte[] decode(String withPrefix) {
    Multibase b = of(withPrefix);
    try {
      return b.codec.decode(withPrefix, b.prefix.length());
    } catch (MultibaseException e) {
      throw new MultibaseException(b.name + ": " + e.getMessage(), e);
    }
  }

  /** The base named by the prefix of {@code withPrefix}. */
  public static Multibase of(String withPrefix) {
    Objects.requireNonNull(withPrefix, "text");
    if (withPrefix.isEmpty()) {
      throw new MultibaseException("empty string has no multibase prefix");
    }
    int cp = withPrefix.codePointAt(0);
    Multibase b = BY_PREFIX.get(cp);
    if (b == null) {
      throw new MultibaseException(
          "unknown multibase prefix '"
              + new String(Character.toChars(cp))
              + "' (U+"
              + Integer.toHexString(cp).toUpperCase(Locale.ROOT)
              + ")");
    }
    return b;
  }

  /** The base with this prefix code point, if any. */
  public static Optional<Multibase> byPrefix(int codePoint) {
    return Optional.ofNullable(BY_PREFIX.get(codePoint));
  }

  public static Optional<Multibase> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  private static BaseCodec rfc(String alphabet, int bits, boolean pad, boolean caseInsensitive) {
    return new Rfc4648Codec(alphabet, bits, pad, caseInsensitive);
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  private static final class Alphabets {
    static final String HEX = "0123456789abcdef";
    static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";
    static final String B32HEX = "0123456789abcdefghijklmnopqrstuv";
    static final String B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
    static final String B58BTC = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    static final String B58FLICKR = "123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  }
}
