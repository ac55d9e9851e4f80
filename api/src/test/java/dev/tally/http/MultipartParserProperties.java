package dev.tally.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The delimiter search skips ahead by the delimiter's length where it can: bodies made of the
 * delimiter's own bytes (partial delimiters, CRLFs, dashes, the boundary with one byte changed),
 * cut into pieces of any size (in place, inside larger arrays) and read back in any sizes, must
 * come out exactly as framed.
 */
class MultipartParserProperties {

  @Property(tries = 300)
  void bodiesOfNearMissDelimitersComeBackExactly(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 70) int boundaryLength,
      @ForAll @IntRange(min = 1, max = 4) int parts,
      @ForAll @IntRange(min = 1, max = 400_000) int step,
      @ForAll @IntRange(min = 1, max = 300_000) int readSize)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    String alphabet = "-ab\r\n";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < boundaryLength; i++) {
      b.append("ab-".charAt(random.nextInt(3)));
    }
    String boundary = b.toString();
    byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);

    List<byte[]> bodies = new ArrayList<>();
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    framed.writeBytes(("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
    for (int p = 0; p < parts; p++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int length = random.nextInt(random.nextBoolean() ? 64 : 200_000);
      while (body.size() < length) {
        switch (random.nextInt(4)) {
          case 0 -> // a prefix of the delimiter, never all of it
              body.write(delimiter, 0, random.nextInt(delimiter.length));
          case 1 -> { // the delimiter with one byte changed
            byte[] near = delimiter.clone();
            int at = random.nextInt(near.length);
            near[at] = (byte) (near[at] == 'x' ? 'y' : 'x');
            body.writeBytes(near);
          }
          case 2 -> body.write(alphabet.charAt(random.nextInt(alphabet.length())));
          default -> {
            byte[] noise = new byte[random.nextInt(5000)];
            random.nextBytes(noise);
            body.writeBytes(noise);
          }
        }
      }
      byte[] bytes = body.toByteArray();
      // Generated content must not hold the delimiter by chance, nor end so that the closing
      // delimiter would be found earlier (the framing itself would be wrong).
      while (indexOf(concat(bytes, delimiter), delimiter) != bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, indexOf(concat(bytes, delimiter), delimiter));
      }
      bodies.add(bytes);
      framed.writeBytes(
          ("\r\nContent-Disposition: form-data; name=\"file-"
                  + p
                  + "\"; filename=\"f"
                  + p
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      framed.writeBytes(bytes);
      framed.writeBytes(delimiter);
    }
    framed.writeBytes("--\r\n".getBytes(StandardCharsets.ISO_8859_1));

    MultipartParser parser =
        new MultipartParser(pieces(framed.toByteArray(), step, random.split()), boundary);
    for (int p = 0; p < parts; p++) {
      UploadPart part = parser.next().orElseThrow();
      assertEquals("f" + p, part.filename());
      assertArrayEquals(bodies.get(p), readInPieces(parser.body(), readSize), "part " + p);
    }
    assertEquals(Optional.empty(), parser.next());
  }

  private static byte[] readInPieces(InputStream in, int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[size];
    for (int n; (n = in.read(buf, 0, size)) >= 0; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * The body as the socket might deliver it: pieces of 1 to {@code maxPiece} bytes (often tiny,
   * shorter than a delimiter), each inside a larger array at an offset, as Vert.x slices are.
   */
  private static MultipartParser.Pieces pieces(byte[] data, int maxPiece, SplittableRandom random) {
    int[] at = {0};
    return () -> {
      if (at[0] == data.length) {
        return Optional.empty();
      }
      int bound = random.nextInt(4) == 0 ? Math.min(maxPiece, 80) : maxPiece;
      int n = Math.min(data.length - at[0], 1 + random.nextInt(bound));
      int pad = random.nextInt(16);
      byte[] array = new byte[pad + n + random.nextInt(16)];
      java.util.Arrays.fill(array, (byte) '\r');
      System.arraycopy(data, at[0], array, pad, n);
      at[0] += n;
      return Optional.of(ByteBuffer.wrap(array, pad, n).slice());
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
