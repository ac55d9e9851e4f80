package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A DAG-JSON decoder over one byte array. Key order and whitespace are accepted as the spec asks of
 * decoders; everything else is strict: RFC 8259 syntax, valid UTF-8, no duplicate keys, the
 * reserved {@code "/"} forms exactly as specified, canonical CID and base64 text, integers within
 * -2^64 .. 2^64-1 and bounded nesting.
 */
final class DagJsonReader {
  private static final String CODEC = "dag-json";
  private static final int LINEAR_DUPLICATE_CHECK_MAX = 8;

  private final byte[] in;
  private final int maxDepth;
  private int pos;
  // Set when readObject returned the inner map of the bytes form, not a map; see readObject.
  private boolean bytesForm;

  DagJsonReader(byte[] in, int maxDepth) {
    this.in = in;
    this.maxDepth = maxDepth;
  }

  IpldNode readWhole() {
    skipWhitespace();
    if (pos == in.length) {
      throw error(pos, "empty input; expected one JSON value");
    }
    IpldNode node = read(0);
    skipWhitespace();
    if (pos != in.length) {
      throw error(pos, "unexpected data after the top-level value");
    }
    return node;
  }

  private IpldNode read(int depth) {
    if (pos >= in.length) {
      throw error(pos, "unexpected end of input; expected a value");
    }
    switch (in[pos]) {
      case '{':
        return readObject(depth, false);
      case '[':
        return readArray(depth);
      case '"':
        return IpldString.trusted(readString());
      case 't':
        literal("true");
        return IpldBool.TRUE;
      case 'f':
        literal("false");
        return IpldBool.FALSE;
      case 'n':
        literal("null");
        return IpldNull.INSTANCE;
      default:
        return readNumber();
    }
  }

  private IpldNode readArray(int depth) {
    if (depth >= maxDepth) {
      throw error(pos, "nesting deeper than the limit of " + maxDepth);
    }
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return IpldList.EMPTY;
    }
    List<IpldNode> items = new ArrayList<>();
    while (true) {
      items.add(read(depth + 1));
      skipWhitespace();
      int c = peek();
      pos++;
      if (c == ']') {
        return IpldList.wrap(items.toArray(new IpldNode[0]));
      }
      if (c != ',') {
        throw error(pos - 1, "expected ',' or ']' in a list");
      }
      skipWhitespace();
    }
  }

  /**
   * Reads an object. Inside the value of a {@code "/"} key ({@code slashValue}) an object whose
   * first key is {@code "bytes"} with a string value is the bytes form: it comes back as {@link
   * IpldBytes} with {@link #bytesForm} set.
   */
  private IpldNode readObject(int depth, boolean slashValue) {
    int start = pos;
    if (depth >= maxDepth) {
      throw error(pos, "nesting deeper than the limit of " + maxDepth);
    }
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return IpldMap.EMPTY;
    }
    List<String> keys = new ArrayList<>();
    List<IpldNode> values = new ArrayList<>();
    String key = readKey();
    if (key.equals("/") && peek() == '"') {
      int valueStart = pos;
      String text = readString();
      closeSingleKeyForm("a link {\"/\": \"<cid>\"}");
      return new IpldLink(parseCid(text, valueStart));
    } else if (key.equals("/") && peek() == '{') {
      IpldNode inner = readObject(depth + 1, true);
      if (bytesForm) {
        bytesForm = false;
        closeSingleKeyForm("bytes {\"/\": {\"bytes\": \"<base64>\"}}");
        return inner;
      }
      keys.add(key);
      values.add(inner);
    } else if (slashValue && key.equals("bytes") && peek() == '"') {
      int valueStart = pos;
      String text = readString();
      closeSingleKeyForm("the inner map of bytes {\"/\": {\"bytes\": \"<base64>\"}}");
      IpldBytes bytes = IpldBytes.wrap(parseBase64(text, valueStart));
      bytesForm = true;
      return bytes;
    } else {
      keys.add(key);
      values.add(read(depth + 1));
    }
    Set<String> seen = null;
    while (true) {
      skipWhitespace();
      int c = peek();
      pos++;
      if (c == '}') {
        break;
      }
      if (c != ',') {
        throw error(pos - 1, "expected ',' or '}' in a map");
      }
      skipWhitespace();
      int keyStart = pos;
      key = readKey();
      if (keys.size() < LINEAR_DUPLICATE_CHECK_MAX) {
        if (keys.contains(key)) {
          throw error(keyStart, "repeat map key \"" + key + "\"");
        }
      } else {
        if (seen == null) {
          seen = new HashSet<>(keys);
        }
        if (!seen.add(key)) {
          throw error(keyStart, "repeat map key \"" + key + "\"");
        }
      }
      keys.add(key);
      values.add(read(depth + 1));
    }
    IpldMap map = IpldMap.wrap(keys.toArray(new String[0]), values.toArray(new IpldNode[0]));
    if (ReservedForms.isReserved(map)) {
      throw error(
          start,
          "map has the reserved form of a link or bytes but with extra keys or in another order");
    }
    return map;
  }

  private void closeSingleKeyForm(String what) {
    skipWhitespace();
    if (peek() != '}') {
      throw error(pos, what + " must have no other keys");
    }
    pos++;
  }

  private String readKey() {
    if (peek() != '"') {
      throw error(pos, "expected a string map key");
    }
    String key = readString();
    skipWhitespace();
    if (peek() != ':') {
      throw error(pos, "expected ':' after a map key");
    }
    pos++;
    skipWhitespace();
    return key;
  }

  private Cid parseCid(String text, int offset) {
    Cid cid;
    try {
      cid = Cid.parse(text);
    } catch (IllegalArgumentException e) {
      throw Errors.at(CODEC, offset, "invalid CID in link: " + e.getMessage(), e);
    }
    if (!cid.toString().equals(text)) {
      throw error(
          offset, "a link must be CIDv0 in base58btc or CIDv1 in lowercase base32, got " + text);
    }
    return cid;
  }

  private byte[] parseBase64(String text, int offset) {
    if (text.indexOf('=') >= 0) {
      throw error(offset, "bytes must be base64 without padding");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw Errors.at(CODEC, offset, "invalid base64 bytes: " + e.getMessage(), e);
    }
    if (!Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
      throw error(offset, "base64 bytes have non-zero trailing bits");
    }
    return bytes;
  }

  private String readString() {
    int start = pos;
    pos++; // opening quote
    int runStart = pos;
    StringBuilder sb = null;
    while (true) {
      if (pos >= in.length) {
        throw error(start, "unterminated string");
      }
      int b = in[pos] & 0xff;
      if (b == '"') {
        String run = utf8(runStart, pos);
        pos++;
        if (sb == null) {
          return run;
        }
        String s = sb.append(run).toString();
        if (Utf8.unpairedSurrogateIndex(s) >= 0) {
          throw error(start, "string has an unpaired surrogate escape");
        }
        return s;
      }
      if (b == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(utf8(runStart, pos));
        sb.append(escape());
        runStart = pos;
      } else if (b < 0x20) {
        throw error(pos, "control character 0x" + Integer.toHexString(b) + " must be escaped");
      } else {
        pos++;
      }
    }
  }

  private char escape() {
    int at = pos;
    pos++;
    if (pos >= in.length) {
      throw error(at, "unterminated escape");
    }
    int c = in[pos++];
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        {
          if (in.length - pos < 4) {
            throw error(at, "truncated \\u escape");
          }
          int v = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(in[pos++], 16);
            if (d < 0) {
              throw error(at, "invalid \\u escape");
            }
            v = (v << 4) | d;
          }
          return (char) v;
        }
      default:
        throw error(at, "invalid escape \\" + (char) c);
    }
  }

  private String utf8(int from, int to) {
    try {
      return Utf8.decode(in, from, to - from);
    } catch (CharacterCodingException e) {
      throw error(from, "string is not valid UTF-8");
    }
  }

  private IpldNode readNumber() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int c = peek();
    if (c == '0') {
      pos++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      throw error(start, "unexpected character; expected a JSON value");
    }
    boolean isFloat = false;
    if (peek() == '.') {
      pos++;
      if (digits() == 0) {
        throw error(start, "a decimal point must be followed by digits");
      }
      isFloat = true;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (digits() == 0) {
        throw error(start, "an exponent must have digits");
      }
      isFloat = true;
    }
    String token = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
    if (isFloat) {
      double d = Double.parseDouble(token);
      if (!Double.isFinite(d)) {
        throw error(start, "float " + token + " is outside the float64 range");
      }
      return new IpldFloat(d);
    }
    if (token.length() <= 18) {
      return IpldInt.of(Long.parseLong(token));
    }
    BigInteger v = new BigInteger(token);
    if (v.compareTo(IpldInt.MIN) < 0 || v.compareTo(IpldInt.MAX) > 0) {
      throw error(start, "integer " + token + " is outside the range -2^64 .. 2^64-1");
    }
    return IpldInt.of(v);
  }

  private int digits() {
    int n = 0;
    while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
      pos++;
      n++;
    }
    return n;
  }

  private void literal(String word) {
    int n = word.length();
    if (in.length - pos < n) {
      throw error(pos, "unexpected end of input; expected " + word);
    }
    for (int i = 0; i < n; i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw error(pos, "invalid literal; expected " + word);
      }
    }
    pos += n;
  }

  private int peek() {
    return pos < in.length ? in[pos] : -1;
  }

  private void skipWhitespace() {
    while (pos < in.length) {
      byte b = in[pos];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return;
      }
      pos++;
    }
  }

  private static CodecException error(int offset, String problem) {
    return Errors.at(CODEC, offset, problem);
  }
}
