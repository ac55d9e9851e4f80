package dev.tally.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

/**
 * Hostile inputs derived from valid encodings, and the one check every parser that a peer or a
 * client reaches must pass: it returns, or it throws its own typed exception with a message, and it
 * allocates no more than a bound set by the input's length.
 *
 * <p>Variants are drawn from a {@link Random} seeded by the property, so a failing input comes back
 * from the seed jqwik prints; the failure message also carries the input in hex.
 */
public final class Hostile {

  /** Fixed allowance for decoding, exceptions and their stack traces. */
  public static final long BASE_ALLOCATION = 1 << 20;

  /** Per-input-byte allowance: a parser may build a few copies and a tree, not a length prefix. */
  public static final long ALLOCATION_PER_BYTE = 64;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Hostile() {}

  /** What a parser does with its input; any return counts as accepting it. */
  @FunctionalInterface
  public interface Parse<T> {
    void parse(T input) throws Exception;
  }

  /**
   * One hostile variant of {@code valid}: a truncation, a byte replaced, a bit flipped, a byte
   * forced to 0xff or 0x00 (the widest and the narrowest length or type), an inserted or replaced
   * huge varint (an oversized length prefix), a dropped or duplicated span, or bytes appended.
   */
  public static byte[] variant(byte[] valid, Random r) {
    if (valid.length == 0) {
      return randomBytes(r, 1 + r.nextInt(16));
    }
    int at = r.nextInt(valid.length);
    return switch (r.nextInt(9)) {
      case 0 -> java.util.Arrays.copyOf(valid, r.nextInt(valid.length));
      case 1 -> with(valid, at, (byte) r.nextInt(256));
      case 2 -> with(valid, at, (byte) (valid[at] ^ (1 << r.nextInt(8))));
      case 3 -> with(valid, at, (byte) 0xff);
      case 4 -> with(valid, at, (byte) 0x00);
      case 5 -> splice(valid, at, r.nextBoolean() ? 0 : 1, hugeVarint(r));
      case 6 -> splice(valid, at, Math.min(valid.length - at, 1 + r.nextInt(8)), new byte[0]);
      case 7 -> splice(valid, at, 0, java.util.Arrays.copyOfRange(valid, at, valid.length));
      default -> splice(valid, valid.length, 0, randomBytes(r, 1 + r.nextInt(32)));
    };
  }

  /**
   * A hostile variant of valid text: a character replaced, dropped or inserted, or a truncation.
   */
  public static String variant(String valid, Random r) {
    if (valid.isEmpty()) {
      return String.valueOf(randomChar(r));
    }
    int at = r.nextInt(valid.length());
    return switch (r.nextInt(4)) {
      case 0 -> valid.substring(0, at);
      case 1 -> valid.substring(0, at) + randomChar(r) + valid.substring(at + 1);
      case 2 -> valid.substring(0, at) + valid.substring(at + 1);
      default -> valid.substring(0, at) + randomChar(r) + valid.substring(at);
    };
  }

  /** Random bytes of the given length. */
  public static byte[] randomBytes(Random r, int length) {
    byte[] b = new byte[length];
    r.nextBytes(b);
    return b;
  }

  /** A varint of 4 to 10 bytes whose value is far beyond any sane length (up to 2^63 and over). */
  public static byte[] hugeVarint(Random r) {
    int n = 4 + r.nextInt(7);
    byte[] b = new byte[n];
    for (int i = 0; i < n - 1; i++) {
      b[i] = (byte) (0x80 | r.nextInt(128));
    }
    b[n - 1] = (byte) (1 + r.nextInt(127));
    return b;
  }

  /**
   * Runs {@code parse} on {@code input}; fails unless it returns or throws {@code expected} (or a
   * subtype) with a non-blank message, and unless it allocated at most {@link #BASE_ALLOCATION} +
   * {@link #ALLOCATION_PER_BYTE} x the input's length. Returns the typed failure, if any.
   */
  public static <E extends Throwable> E check(
      Class<E> expected, byte[] input, Parse<byte[]> parse) {
    return check(expected, input, 0, parse);
  }

  /**
   * As {@link #check(Class, byte[], Parse)}, allowing {@code limit} more bytes: for streaming
   * parsers that may take up to an explicit, configured limit (one block, one frame) before they
   * can see the input is short.
   */
  public static <E extends Throwable> E check(
      Class<E> expected, byte[] input, long limit, Parse<byte[]> parse) {
    return check(expected, input, input.length, limit, HexFormat.of().formatHex(input), parse);
  }

  /** As {@link #check(Class, byte[], Parse)} for text, bounded by its UTF-8 length. */
  public static <E extends Throwable> E check(
      Class<E> expected, String input, Parse<String> parse) {
    int length = input.getBytes(StandardCharsets.UTF_8).length;
    return check(expected, input, length, 0, quote(input), parse);
  }

  private static <T, E extends Throwable> E check(
      Class<E> expected, T input, int length, long limit, String shown, Parse<T> parse) {
    long bound = BASE_ALLOCATION + ALLOCATION_PER_BYTE * length + limit;
    String what = " for input (" + length + " bytes) " + abbreviate(shown);
    // The first run may initialise classes and caches (a hash provider, a curve's tables); only
    // the second, on the same input, is measured.
    expectOnly(expected, run(parse, input), what);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    Throwable thrown = run(parse, input);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    expectOnly(expected, thrown, what);
    if (thrown != null && (thrown.getMessage() == null || thrown.getMessage().isBlank())) {
      fail(expected.getSimpleName() + " without a message" + what);
    }
    if (allocated > bound) {
      fail("allocated " + allocated + " bytes, more than the bound " + bound + what);
    }
    return thrown == null ? null : expected.cast(thrown);
  }

  private static <T> Throwable run(Parse<T> parse, T input) {
    try {
      parse.parse(input);
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  private static void expectOnly(Class<?> expected, Throwable thrown, String what) {
    if (thrown != null && !expected.isInstance(thrown)) {
      throw new AssertionError(
          "expected only " + expected.getSimpleName() + " but got " + thrown + what, thrown);
    }
  }

  private static byte[] with(byte[] valid, int at, byte value) {
    byte[] b = valid.clone();
    b[at] = value;
    return b;
  }

  private static byte[] splice(byte[] valid, int at, int drop, byte[] insert) {
    byte[] b = new byte[valid.length - drop + insert.length];
    System.arraycopy(valid, 0, b, 0, at);
    System.arraycopy(insert, 0, b, at, insert.length);
    System.arraycopy(valid, at + drop, b, at + insert.length, valid.length - at - drop);
    return b;
  }

  private static char randomChar(Random r) {
    String specials = "/%\\.:@?#&=\u0000\u00e9\u2603\ud83d";
    return switch (r.nextInt(3)) {
      case 0 -> specials.charAt(r.nextInt(specials.length()));
      case 1 -> (char) (0x20 + r.nextInt(0x5f));
      default -> (char) r.nextInt(0x10000);
    };
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.append('"').toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
  }
}
