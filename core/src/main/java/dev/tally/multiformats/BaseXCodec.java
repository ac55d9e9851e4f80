package dev.tally.multiformats;

import java.util.Arrays;

/**
 * Radix conversion bases (base10, base36, base58): the whole input is one big number, and each
 * leading zero byte is written as one leading zero digit. Quadratic in the input length, which is
 * fine for the identifiers these bases carry.
 */
final class BaseXCodec implements BaseCodec {
  private final char[] alphabet;
  private final int base;
  private final int[] lookup = new int[128];
  private final double bitsPerChar;

  BaseXCodec(String alphabet, boolean caseInsensitive) {
    this.alphabet = alphabet.toCharArray();
    this.base = alphabet.length();
    this.bitsPerChar = Math.log(base) / Math.log(2);
    Arrays.fill(lookup, -1);
    for (int i = 0; i < base; i++) {
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
    return (int) Math.ceil(len * 8 / bitsPerChar) + 1;
  }

  @Override
  public void encode(byte[] data, int off, int len, StringBuilder out) {
    int end = off + len;
    int zeros = 0;
    while (off + zeros < end && data[off + zeros] == 0) {
      zeros++;
    }
    int size = maxEncodedLength(len - zeros);
    byte[] digits = new byte[size];
    int length = 0;
    for (int i = off + zeros; i < end; i++) {
      int carry = data[i] & 0xFF;
      int k = 0;
      for (int j = size - 1; (carry != 0 || k < length) && j >= 0; j--, k++) {
        carry += 256 * (digits[j] & 0xFF);
        digits[j] = (byte) (carry % base);
        carry /= base;
      }
      length = k;
    }
    int j = size - length;
    while (j < size && digits[j] == 0) {
      j++;
    }
    for (int i = 0; i < zeros; i++) {
      out.append(alphabet[0]);
    }
    for (; j < size; j++) {
      out.append(alphabet[digits[j]]);
    }
  }

  @Override
  public byte[] decode(String s, int from) {
    int end = s.length();
    int zeros = 0;
    while (from + zeros < end && valueAt(s, from + zeros) == 0) {
      zeros++;
    }
    // Each character carries log2(base) bits, so this bounds the output by the input length.
    int size = (int) ((end - from - zeros) * bitsPerChar / 8) + 1;
    byte[] bytes = new byte[size];
    int length = 0;
    for (int i = from + zeros; i < end; i++) {
      int carry = valueAt(s, i);
      int k = 0;
      for (int j = size - 1; (carry != 0 || k < length) && j >= 0; j--, k++) {
        carry += base * (bytes[j] & 0xFF);
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      length = k;
    }
    int j = size - length;
    while (j < size && bytes[j] == 0) {
      j++;
    }
    byte[] out = new byte[zeros + size - j];
    System.arraycopy(bytes, j, out, zeros, size - j);
    return out;
  }

  private int valueAt(String s, int i) {
    char c = s.charAt(i);
    int v = c < 128 ? lookup[c] : -1;
    if (v < 0) {
      throw Rfc4648Codec.invalidChar(s, i);
    }
    return v;
  }
}
