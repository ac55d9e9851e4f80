package dev.tally.gateway;

import java.util.Optional;

/**
 * A byte range resolved against the content length: from a {@code Range: bytes=...} header (RFC
 * 9110 14.1.2) or the trustless gateway's {@code entity-bytes}.
 *
 * @param start first byte offset
 * @param end last byte offset, inclusive
 */
record ByteRange(long start, long end) {
  long length() {
    return end - start + 1;
  }

  String contentRange(long size) {
    return "bytes " + start + "-" + end + "/" + size;
  }

  /**
   * The range {@code header} asks for in content of {@code size} bytes: empty when the header is
   * absent, names several ranges (the whole content is served instead, as RFC 9110 allows) or is
   * not a byte range; {@link GatewayException} 416 when it cannot be satisfied.
   */
  static Optional<ByteRange> parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return Optional.empty();
    }
    String spec = header.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    try {
      long start;
      long end;
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0) {
          throw unsatisfiable(size);
        }
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(first);
        end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
        if (start < 0 || (!last.isEmpty() && Long.parseLong(last) < start)) {
          return Optional.empty(); // syntactically invalid: ignored, as RFC 9110 says
        }
      }
      if (start >= size || end < start) {
        throw unsatisfiable(size);
      }
      return Optional.of(new ByteRange(start, end));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static GatewayException unsatisfiable(long size) {
    return new GatewayException(416, "range not satisfiable: the content is " + size + " bytes");
  }
}
