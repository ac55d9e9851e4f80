package dev.tally.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Picks a file's Content-Type: by its name's extension first, then by its first bytes (magic
 * numbers, then text versus binary), as Kubo's gateway does with Go's content sniffing.
 */
final class ContentTypes {
  /** Bytes sniffed, as in the WHATWG MIME sniffing algorithm. */
  static final int SNIFF_BYTES = 512;

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("xml", "text/xml; charset=utf-8"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("avif", "image/avif"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("webm", "video/webm"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("wav", "audio/wav"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("car", "application/vnd.ipld.car"));

  private record Magic(byte[] prefix, String type) {}

  private static final Magic[] MAGIC = {
    magic("image/png", 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a),
    magic("image/jpeg", 0xff, 0xd8, 0xff),
    magic("image/gif", 'G', 'I', 'F', '8'),
    magic("application/pdf", '%', 'P', 'D', 'F', '-'),
    magic("application/zip", 'P', 'K', 0x03, 0x04),
    magic("application/gzip", 0x1f, 0x8b, 0x08),
    magic("application/wasm", 0x00, 'a', 's', 'm'),
    magic("audio/mpeg", 'I', 'D', '3'),
    magic("audio/ogg", 'O', 'g', 'g', 'S'),
  };

  private ContentTypes() {}

  private static Magic magic(String type, int... bytes) {
    byte[] prefix = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      prefix[i] = (byte) bytes[i];
    }
    return new Magic(prefix, type);
  }

  /** The type for a file called {@code name} (may be empty) that starts with {@code head}. */
  static String of(String name, byte[] head) {
    int dot = name.lastIndexOf('.');
    if (dot >= 0) {
      String type = BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
      if (type != null) {
        return type;
      }
    }
    return sniff(head);
  }

  static String sniff(byte[] head) {
    for (Magic m : MAGIC) {
      if (head.length >= m.prefix().length
          && Arrays.equals(head, 0, m.prefix().length, m.prefix(), 0, m.prefix().length)) {
        return m.type();
      }
    }
    if (head.length >= 12
        && head[0] == 'R'
        && head[1] == 'I'
        && head[2] == 'F'
        && head[3] == 'F'
        && head[8] == 'W'
        && head[9] == 'E'
        && head[10] == 'B'
        && head[11] == 'P') {
      return "image/webp";
    }
    String start =
        new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1)
            .stripLeading()
            .toLowerCase(Locale.ROOT);
    if (start.startsWith("<!doctype html") || start.startsWith("<html")) {
      return "text/html; charset=utf-8";
    }
    if (start.startsWith("<svg")) {
      return "image/svg+xml";
    }
    return isText(head) ? "text/plain; charset=utf-8" : "application/octet-stream";
  }

  /** Valid UTF-8 (a sequence cut at the end of the sample is fine) without control bytes. */
  private static boolean isText(byte[] head) {
    for (byte b : head) {
      if ((b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') || b == 0x7f) {
        return false;
      }
    }
    int end = head.length;
    // Drop a trailing partial sequence: the sample may cut a character in half.
    for (int i = Math.max(0, end - 3); i < end; i++) {
      int lead = head[i] & 0xff;
      int need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (need > 1 && i + need > end) {
        end = i;
        break;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(head, 0, end));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
