package dev.tally.gateway;

/**
 * The trustless gateway's {@code entity-bytes=from:to}: offsets are inclusive, {@code to} may be
 * {@code *} (end of file), and either may be negative (counted from the end).
 */
final class EntityBytes {
  private EntityBytes() {}

  /**
   * The byte offsets within content of {@code size} bytes; an end before the start means an empty
   * range. A range that starts past the end is a 400, as the spec recommends.
   */
  static ByteRange resolve(String param, long size) {
    int colon = param.indexOf(':');
    if (colon < 0) {
      throw invalid(param);
    }
    long from = parse(param.substring(0, colon), param);
    String toText = param.substring(colon + 1);
    long to = toText.equals("*") ? size - 1 : parse(toText, param);
    if (from < 0) {
      from = Math.max(0, size + from);
    }
    if (to < 0) {
      to = size + to;
    }
    if (size > 0 && from >= size) {
      throw new GatewayException(
          400, "entity-bytes " + param + " starts past the end of the " + size + "-byte entity");
    }
    return new ByteRange(from, Math.min(to, size - 1));
  }

  private static long parse(String text, String param) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw invalid(param);
    }
  }

  private static GatewayException invalid(String param) {
    return new GatewayException(
        400, "invalid entity-bytes \"" + param + "\": expected from:to, to a number or *");
  }
}
