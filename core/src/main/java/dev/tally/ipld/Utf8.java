package dev.tally.ipld;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 helpers that avoid allocating a byte array per string on the hot encode paths. */
final class Utf8 {
  private Utf8() {}

  /** The index of the first unpaired surrogate in {@code s}, or -1 when it is valid Unicode. */
  static int unpairedSurrogateIndex(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** The UTF-8 length of a string that has no unpaired surrogate. */
  static int length(String s) {
    int n = s.length();
    int len = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          len += 1;
        } else if (Character.isHighSurrogate(c)) {
          len += 2; // the pair is 2 chars and 4 bytes
          i++;
        } else {
          len += 2;
        }
      }
    }
    return len;
  }

  /** Writes the UTF-8 form of {@code s} at {@code off}; returns the new offset. */
  static int write(String s, byte[] dst, int off) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[off++] = (byte) c;
      } else if (c < 0x800) {
        dst[off++] = (byte) (0xc0 | (c >> 6));
        dst[off++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst[off++] = (byte) (0xf0 | (cp >> 18));
        dst[off++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        dst[off++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        dst[off++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        dst[off++] = (byte) (0xe0 | (c >> 12));
        dst[off++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        dst[off++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    return off;
  }

  /**
   * Compares two valid strings by their UTF-8 bytes, which is code point order (UTF-16 {@code
   * compareTo} differs for supplementary characters).
   */
  static int compareBytes(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        boolean sa = Character.isSurrogate(ca);
        boolean sb = Character.isSurrogate(cb);
        if (sa != sb) {
          // A surrogate starts a code point above U+FFFF, so it sorts after any BMP char.
          return sa ? 1 : -1;
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  /** Decodes strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF). */
  static String decode(byte[] in, int off, int len) throws CharacterCodingException {
    boolean ascii = true;
    for (int i = off, end = off + len; i < end; i++) {
      if (in[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(in, off, len, StandardCharsets.ISO_8859_1);
    }
    CharBuffer chars =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(in, off, len));
    return chars.toString();
  }
}
