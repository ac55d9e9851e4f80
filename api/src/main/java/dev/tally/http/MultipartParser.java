package dev.tally.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A streaming {@code multipart/form-data} parser (RFC 7578) over the raw request body: parts one
 * after the other, each body an {@link InputStream} that ends at the next delimiter. It runs on the
 * worker that consumes the upload, so the event loop only queues the request's buffers.
 *
 * <p>Part bodies are read in place from the body's pieces (the buffers the socket delivered) and
 * copied once, straight into the reader's array. Only the framing (preamble, part heads) and the
 * few bytes where a delimiter may straddle two pieces pass through the parser's own buffer. Part
 * heads are bounded ({@link #MAX_HEAD} bytes).
 */
final class MultipartParser {
  /** The raw request body, piece by piece, each read in place. */
  interface Pieces {
    /**
     * The next piece of the body (a heap buffer; the parser reads its array and never writes it),
     * or empty at the end of the body.
     */
    Optional<ByteBuffer> next() throws IOException;
  }

  /** Longest head (Content-Disposition, Content-Type, ...) one part may have. */
  static final int MAX_HEAD = 16 * 1024;

  private static final int BUFFER = 256 * 1024;
  private static final int STREAM_PIECE = 64 * 1024;

  private final Pieces pieces;
  // The current piece: bytes piece[at, end) follow buf[pos, lim) in the body.
  private byte[] piece = new byte[0];
  private int at;
  private int end;
  private final byte[] delimiter; // CRLF "--" boundary
  private final int[] skip; // Horspool: how far the window may move, by its last byte
  private final byte[] buf;
  private int pos;
  private int lim;
  private boolean eof;
  private boolean started;
  private boolean finished;
  private Body current;

  /** A parser over a plain stream, read in pieces of up to 64 KiB. */
  MultipartParser(InputStream in, String boundary) {
    this(
        () -> {
          byte[] b = new byte[STREAM_PIECE];
          int n = in.read(b, 0, b.length);
          return n < 0 ? Optional.empty() : Optional.of(ByteBuffer.wrap(b, 0, n));
        },
        boundary);
  }

  MultipartParser(Pieces pieces, String boundary) {
    this.pieces = pieces;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buf = new byte[Math.max(BUFFER, delimiter.length * 4 + MAX_HEAD)];
    this.skip = skipTable(delimiter);
  }

  /**
   * Horspool's table: a byte that does not occur in the delimiter (all but its last byte) moves the
   * window by the whole delimiter length, so random file bytes are mostly skipped rather than each
   * compared (the byte-by-byte scan cost as much CPU as hashing the upload).
   */
  private static int[] skipTable(byte[] needle) {
    int[] table = new int[256];
    Arrays.fill(table, needle.length);
    for (int i = 0; i < needle.length - 1; i++) {
      table[needle[i] & 0xff] = needle.length - 1 - i;
    }
    return table;
  }

  /**
   * The boundary of a {@code multipart/*} Content-Type, e.g. {@code multipart/form-data;
   * boundary="abc"}.
   */
  static Optional<String> boundary(String contentType) {
    for (String param : contentType.split(";")) {
      String p = param.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = p.substring("boundary=".length()).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        // RFC 2046: 1 to 70 characters.
        return value.isEmpty() || value.length() > 70 ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** The next part's head, or empty after the closing delimiter. Skips the rest of a body. */
  Optional<UploadPart> next() throws IOException {
    if (current != null) {
      current.skipRest();
      current = null;
    }
    if (finished) {
      return Optional.empty();
    }
    if (!started) {
      started = true;
      skipPreamble();
    }
    // After a delimiter: "--" closes the body; otherwise optional whitespace and CRLF.
    need(2);
    if (buf[pos] == '-' && buf[pos + 1] == '-') {
      finished = true;
      return Optional.empty();
    }
    skipLineEnd();
    UploadPart part = head();
    current = new Body();
    return Optional.of(part);
  }

  /** The body of the part {@link #next()} returned last. */
  InputStream body() {
    if (current == null) {
      throw new IllegalStateException("no current part");
    }
    return current;
  }

  private void skipPreamble() throws IOException {
    // The first delimiter may open the body without the CRLF before it.
    byte[] first = Arrays.copyOfRange(delimiter, 2, delimiter.length);
    need(first.length);
    if (startsWith(first, pos)) {
      pos += first.length;
      return;
    }
    while (true) {
      int found = find(buf, pos, lim);
      if (found >= 0) {
        pos = found + delimiter.length;
        return;
      }
      pos = Math.max(pos, lim - delimiter.length + 1);
      if (!fill()) {
        throw malformed("no multipart boundary in the body");
      }
    }
  }

  private void skipLineEnd() throws IOException {
    while (true) {
      need(1);
      byte b = buf[pos];
      if (b == ' ' || b == '\t') {
        pos++;
      } else if (b == '\r') {
        need(2);
        if (buf[pos + 1] != '\n') {
          throw malformed("a boundary line does not end with CRLF");
        }
        pos += 2;
        return;
      } else {
        throw malformed("a boundary line does not end with CRLF");
      }
    }
  }

  private UploadPart head() throws IOException {
    String field = "";
    String filename = "";
    String type = "application/octet-stream";
    int read = 0;
    while (true) {
      String line = line(MAX_HEAD - read);
      read += line.length() + 2;
      if (line.isEmpty()) {
        return new UploadPart(field, filename, type);
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed("a part header is not 'Name: value'");
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("content-type")) {
        type = value;
      } else if (name.equals("content-disposition")) {
        field = parameter(value, "name");
        try {
          filename = URLDecoder.decode(parameter(value, "filename"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw malformed("a part's filename is not valid percent-encoding: " + e.getMessage());
        }
      }
    }
  }

  /** One header line without its CRLF, at most {@code max} bytes. */
  private String line(int max) throws IOException {
    int start = pos;
    while (true) {
      for (int i = pos; i + 1 < lim; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n') {
          if (i - start > max) {
            break;
          }
          String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
          pos = i + 2;
          return line;
        }
      }
      if (lim - start > max) {
        throw malformed("a part's head is longer than " + MAX_HEAD + " bytes");
      }
      int shift = compact(start);
      start -= shift;
      if (!fill()) {
        throw malformed("the body ended inside a part's head");
      }
    }
  }

  /** A quoted or plain parameter of a Content-Disposition value, or "". */
  static String parameter(String value, String name) {
    int i = 0;
    int n = value.length();
    while (i < n) {
      int semi = value.indexOf(';', i);
      if (semi < 0) {
        return "";
      }
      i = semi + 1;
      while (i < n && value.charAt(i) == ' ') {
        i++;
      }
      int eq = value.indexOf('=', i);
      if (eq < 0) {
        return "";
      }
      String key = value.substring(i, eq).strip();
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < n && value.charAt(i) == '"') {
        i++;
        while (i < n && value.charAt(i) != '"') {
          char c = value.charAt(i++);
          if (c == '\\' && i < n) {
            c = value.charAt(i++);
          }
          v.append(c);
        }
        i++;
      } else {
        while (i < n && value.charAt(i) != ';') {
          v.append(value.charAt(i++));
        }
      }
      if (key.equalsIgnoreCase(name)) {
        return v.toString().strip();
      }
    }
    return "";
  }

  /** The bytes of one part, up to (not including) the next delimiter. */
  private final class Body extends InputStream {
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int m = delimiter.length;
      while (!ended) {
        if (lim - pos >= m) {
          return readBuffered(b, off, len);
        }
        if (end - at >= m) {
          if (lim > pos) {
            int n = readStraddling(b, off, len);
            if (n != 0) {
              return n;
            }
            continue;
          }
          return readInPlace(b, off, len);
        }
        if (end > at) {
          // Fewer than a delimiter's bytes left in the piece: carry them in the buffer (the
          // buffer then holds under two delimiters' lengths) and go on with the next piece.
          compact(pos);
          System.arraycopy(piece, at, buf, lim, end - at);
          lim += end - at;
          at = end;
          continue;
        }
        if (!nextPiece()) {
          throw malformed("the body ended inside a part (its closing boundary is missing)");
        }
      }
      return -1;
    }

    /** Reads from the buffer, which holds at least a delimiter's length of bytes. */
    private int readBuffered(byte[] b, int off, int len) {
      int n = upToDelimiter(buf, pos, lim, b, off, len);
      pos += n < 0 ? delimiter.length : n;
      ended = n < 0;
      return n;
    }

    /**
     * Reads the buffer's last bytes (fewer than a delimiter) with a piece of at least a delimiter's
     * length after them: a delimiter may start in the buffer and end in the piece.
     */
    private int readStraddling(byte[] b, int off, int len) {
      int m = delimiter.length;
      int split = pos;
      while (split < lim && !straddles(split)) {
        split++;
      }
      if (split > pos) {
        int n = Math.min(len, split - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
      }
      // The delimiter starts at pos: its first lim - pos bytes are buffered, the rest in the piece.
      at += m - (lim - pos);
      pos = lim;
      ended = true;
      return -1;
    }

    /** Reads in place from the piece, the buffer being empty. */
    private int readInPlace(byte[] b, int off, int len) {
      int n = upToDelimiter(piece, at, end, b, off, len);
      at += n < 0 ? delimiter.length : n;
      ended = n < 0;
      return n;
    }

    /**
     * Copies up to {@code len} bytes of src[from, limit) (at least a delimiter's length) that lie
     * before any delimiter into b; -1 when a delimiter starts at {@code from}. Bytes in the last
     * delimiter's length but one are held back: a delimiter may begin there and end further on.
     */
    private int upToDelimiter(byte[] src, int from, int limit, byte[] b, int off, int len) {
      int m = delimiter.length;
      // Only a delimiter starting within the next len bytes matters to this read.
      int found = find(src, from, (int) Math.min(limit, (long) from + len + m));
      int safe = found >= 0 ? found : limit - m + 1;
      if (safe == from) {
        return -1;
      }
      int n = Math.min(len, safe - from);
      System.arraycopy(src, from, b, off, n);
      return n;
    }

    void skipRest() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }

  /** Whether a delimiter starts at buf[i] and runs on into the current piece. */
  private boolean straddles(int i) {
    int k = lim - i;
    int m = delimiter.length;
    return Arrays.equals(buf, i, lim, delimiter, 0, k)
        && end - at >= m - k
        && Arrays.equals(piece, at, at + m - k, delimiter, k, m);
  }

  /** The first index of the delimiter in haystack[from, to), or -1. */
  private int find(byte[] haystack, int from, int to) {
    byte[] needle = delimiter;
    int m = needle.length;
    byte lastByte = needle[m - 1];
    int last = to - m;
    int i = from;
    while (i <= last) {
      byte b = haystack[i + m - 1];
      if (b == lastByte && Arrays.equals(haystack, i, i + m, needle, 0, m)) {
        return i;
      }
      i += skip[b & 0xff];
    }
    // A delimiter cut by the end of the window is not reported: callers keep the last
    // needle.length - 1 bytes until more arrive.
    return -1;
  }

  private boolean startsWith(byte[] needle, int at) {
    return at + needle.length <= lim
        && Arrays.equals(buf, at, at + needle.length, needle, 0, needle.length);
  }

  /** Ensures {@code n} bytes are buffered from {@code pos}. */
  private void need(int n) throws IOException {
    while (lim - pos < n) {
      compact(pos);
      if (!fill()) {
        throw malformed("the body ended in the middle of the multipart framing");
      }
    }
  }

  /** Moves buf[from, lim) to the front; answers by how much it moved. */
  private int compact(int from) {
    if (from == 0) {
      return 0;
    }
    System.arraycopy(buf, from, buf, 0, lim - from);
    lim -= from;
    pos -= from;
    return from;
  }

  /** Copies more of the body into the buffer's free end; false at the end of the body. */
  private boolean fill() throws IOException {
    if (lim == buf.length || (at == end && !nextPiece())) {
      return false;
    }
    int n = Math.min(end - at, buf.length - lim);
    System.arraycopy(piece, at, buf, lim, n);
    lim += n;
    at += n;
    return true;
  }

  /** Takes the next non-empty piece of the body, the current one being read; false at its end. */
  private boolean nextPiece() throws IOException {
    while (!eof) {
      Optional<ByteBuffer> next = pieces.next();
      if (next.isEmpty()) {
        eof = true;
      } else if (next.get().hasRemaining()) {
        ByteBuffer bb = next.get();
        piece = bb.array();
        at = bb.arrayOffset() + bb.position();
        end = at + bb.remaining();
        return true;
      }
    }
    return false;
  }

  private static IOException malformed(String why) {
    return new IOException("malformed multipart body: " + why);
  }
}
