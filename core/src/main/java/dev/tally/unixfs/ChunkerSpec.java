package dev.tally.unixfs;

import java.io.InputStream;

/**
 * A chunker as Kubo names it: {@code size-N}, {@code rabin}, {@code rabin-AVG} or {@code
 * rabin-MIN-AVG-MAX}. {@link #toString()} gives the canonical form.
 *
 * @param rabin true for the content-defined chunker, false for fixed size
 * @param min smallest chunk (equals {@code max} for fixed size)
 * @param avg target average chunk (equals {@code max} for fixed size)
 * @param max largest chunk
 */
public record ChunkerSpec(boolean rabin, int min, int avg, int max) {
  /** Kubo's limit: a larger leaf would exceed what bitswap peers accept. */
  public static final int MAX_CHUNK_SIZE = 1 << 20;

  private static final int DEFAULT_RABIN_AVG = 256 * 1024;

  public ChunkerSpec {
    if (max > MAX_CHUNK_SIZE) {
      throw new UnixfsException(
          "chunker: chunks of up to " + max + " bytes exceed the limit of " + MAX_CHUNK_SIZE);
    }
    if (rabin) {
      if (min < RabinChunker.WINDOW) {
        throw new UnixfsException("chunker: rabin min must be at least 16, got " + min);
      }
      if (!(min <= avg && avg <= max) || min == max) {
        throw new UnixfsException(
            "chunker: rabin needs min <= avg <= max and min < max, got "
                + min
                + "-"
                + avg
                + "-"
                + max);
      }
    } else if (max < 1 || min != max || avg != max) {
      throw new UnixfsException("chunker: size must be a positive byte count, got " + max);
    }
  }

  public static ChunkerSpec fixed(int size) {
    return new ChunkerSpec(false, size, size, size);
  }

  /** Parses Kubo's {@code --chunker} syntax. */
  public static ChunkerSpec parse(String text) {
    try {
      if (text.startsWith("size-")) {
        return fixed(Integer.parseInt(text.substring(5)));
      }
      if (text.equals("rabin")) {
        return rabinAvg(DEFAULT_RABIN_AVG);
      }
      if (text.startsWith("rabin-")) {
        String[] parts = text.substring(6).split("-", -1);
        if (parts.length == 1) {
          return rabinAvg(Integer.parseInt(parts[0]));
        }
        if (parts.length == 3) {
          return new ChunkerSpec(
              true,
              Integer.parseInt(parts[0]),
              Integer.parseInt(parts[1]),
              Integer.parseInt(parts[2]));
        }
      }
    } catch (NumberFormatException e) {
      throw new UnixfsException("chunker: bad number in '" + text + "'", e);
    }
    throw new UnixfsException(
        "chunker: unrecognized '"
            + text
            + "', expected size-N, rabin, rabin-AVG or rabin-MIN-AVG-MAX");
  }

  private static ChunkerSpec rabinAvg(int avg) {
    return new ChunkerSpec(true, avg / 3, avg, avg + avg / 2);
  }

  /** A chunker over {@code in}; the caller keeps ownership of the stream. */
  public Chunker open(InputStream in) {
    return rabin ? new RabinChunker(in, min, avg, max) : new FixedSizeChunker(in, max);
  }

  @Override
  public String toString() {
    return rabin ? "rabin-" + min + "-" + avg + "-" + max : "size-" + max;
  }
}
