package dev.tally.multiformats;

import java.util.Arrays;

/**
 * The RFC 4648 family (base2, base8, base16, base32, base64 and their variants): each character
 * carries a fixed number of bits. Decoding accepts only the canonical form — correct padding, zero
 * trailing bits — so one byte string has one text form per base (case aside).
 */
final class Rfc4648Codec implements BaseCodec {
  private final char[] alphabet;
  private final int bits;
  private final boolean pad;
  private final int[] lookup = new int[128];

  Rfc4648Codec(String alphabet, int bits, boolean pad, boolean caseInsensitive) {
    this.alphabet = alphabet.toCharArray();
    this.bits = bits;
    this.pad = pad;
    Arrays.fill(lookup, -1);
    for (int i = 0; i < this.alphabet.length; i++) {
      char c = this.alphabet[i];
      lookup[c] = i;
      if (caseInsensitive) {
        lookup[Character.toLowerCase(c)] = i;
        lookup[Character.toUpperCase(c)] = i;
      }
    }
  }

  @Override
  public int maxEncodedLength(int len) {
    int chars = (int) (((long) len * 8 + bits - 1) / bits);
    return pad ? paddedLength(chars) : chars;
  }

  private int paddedLength(int chars) {
    int n = chars;
    while ((long) n * bits % 8 != 0) {
      n++;
    }
    return n;
  }

  @Override
  public void encode(byte[] data, int off, int len, StringBuilder out) {
    int mask = (1 << bits) - 1;
    int buffer = 0;
    int held = 0;
    int start = out.length();
    for (int i = off; i < off + len; i++) {
      buffer = (buffer << 8 | (data[i] & 0xFF)) & 0xFFFF;
      held += 8;
      while (held >= bits) {
        held -= bits;
        out.append(alphabet[(buffer >>> held) & mask]);
      }
    }
    if (held > 0) {
      out.append(alphabet[(buffer << (bits - held)) & mask]);
    }
    if (pad) {
      while ((long) (out.length() - start) * bits % 8 != 0) {
        out.append('=');
      }
    }
  }

  @Override
  public byte[] decode(String s, int from) {
    int end = s.length();
    if (pad) {
      while (end > from && s.charAt(end - 1) == '=') {
        end--;
      }
    }
    int chars = end - from;
    long totalBits = (long) chars * bits;
    if (totalBits % 8 >= bits) {
      throw new MultibaseException(
          "invalid length: " + chars + " characters cannot encode whole bytes in this base");
    }
    if (pad && s.length() - from != paddedLength(chars)) {
      throw new MultibaseException(
          "wrong padding: expected "
              + (paddedLength(chars) - chars)
              + " '=' characters, found "
              + (s.length() - end));
    }
    byte[] out = new byte[(int) (totalBits / 8)];
    int buffer = 0;
    int held = 0;
    int o = 0;
    for (int i = from; i < end; i++) {
      char c = s.charAt(i);
      int v = c < 128 ? lookup[c] : -1;
      if (v < 0) {
        throw invalidChar(s, i);
      }
      buffer = (buffer << bits | v) & 0xFFFF;
      held += bits;
      if (held >= 8) {
        held -= 8;
        out[o++] = (byte) (buffer >>> held);
      }
    }
    if ((buffer & ((1 << held) - 1)) != 0) {
      throw new MultibaseException(
          "non-canonical encoding: the last character carries non-zero padding bits");
    }
    return out;
  }

  static MultibaseException invalidChar(String s, int i) {
    int cp = s.codePointAt(i);
    return new MultibaseException(
        "invalid character '"
            + new String(Character.toChars(cp))
            + "' (U+"
            + Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)
            + ") at index "
            + i);
  }
}
