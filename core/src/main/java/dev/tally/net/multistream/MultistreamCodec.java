package dev.tally.net.multistream;

import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes multistream-select messages: {@code uvarint(len) utf8 "\n"}, where {@code len} counts the
 * newline.
 */
public final class MultistreamCodec {
  public static final String HEADER = "/multistream/1.0.0";
  public static final String NA = "na";
  public static final String LS = "ls";

  private MultistreamCodec() {}

  /** One message; rejects text holding a newline or longer than {@code maxLength} encoded. */
  public static Buffer encode(String message, int maxLength) {
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    if (message.isEmpty() || message.indexOf('\n') >= 0) {
      throw new IllegalArgumentException(
          "multistream message must be non-empty and hold no newline: '" + message + "'");
    }
    int len = utf8.length + 1;
    if (len > maxLength) {
      throw new IllegalArgumentException(
          "multistream message is " + len + " bytes, more than the limit of " + maxLength);
    }
    return appendDelimited(Buffer.buffer(len + 2), utf8);
  }

  public static Buffer encode(String message) {
    return encode(message, MultistreamOptions.DEFAULTS.maxMessageLength());
  }

  /**
   * The answer to {@code ls}, as go-multistream writes it: one message whose body is the
   * concatenated messages of each protocol.
   */
  static Buffer encodeList(List<String> protocols) {
    Buffer inner = Buffer.buffer();
    for (String p : protocols) {
      appendDelimited(inner, p.getBytes(StandardCharsets.UTF_8));
    }
    return appendDelimited(Buffer.buffer(inner.length() + 4), inner.getBytes());
  }

  private static Buffer appendDelimited(Buffer out, byte[] body) {
    out.appendBytes(Varint.encode(body.length + 1L));
    out.appendBytes(body);
    out.appendByte((byte) '\n');
    return out;
  }
}
