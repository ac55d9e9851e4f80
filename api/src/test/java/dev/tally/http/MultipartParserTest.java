package dev.tally.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bodies framed as RFC 7578 and RFC 2046 describe them, fed in pieces of every size. */
class MultipartParserTest {
  private static final String B = "XyZ-boundary";

  /** Returns at most {@code step} bytes per read, to cut delimiters and heads anywhere. */
  private static InputStream trickle(byte[] data, int step) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static byte[] body(byte[] first, byte[] second) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("preamble to ignore\r\n--"
                + B
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dir%2Fa b.txt\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(first);
    out.writeBytes(
        ("\r\n--"
                + B
                + "  \r\ncontent-disposition: form-data; name=file-1; filename=\"q\\\"uote\"\r\n"
                + "content-type: application/x-directory\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(second);
    out.writeBytes(("\r\n--" + B + "--\r\nepilogue").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  @Test
  void splitsPartsWhereverTheReadsCutTheDelimiter() throws IOException {
    byte[] first = new byte[70_000];
    new SplittableRandom(1).nextBytes(first);
    // Content that looks like the start of a delimiter must pass through.
    byte[] tricky = ("\r\n--XyZ-boundar\r\n-" + B.substring(0, 5)).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(tricky, 0, first, 1000, tricky.length);
    byte[] data = body(first, new byte[0]);
    for (int step : new int[] {1, 2, 7, 13, 4096, 1 << 20}) {
      MultipartParser parser = new MultipartParser(trickle(data, step), B);
      UploadPart a = parser.next().orElseThrow();
      assertEquals(new UploadPart("file", "dir/a b.txt", "application/octet-stream"), a);
      assertArrayEquals(first, parser.body().readAllBytes(), "step " + step);
      UploadPart dir = parser.next().orElseThrow();
      assertEquals(new UploadPart("file-1", "q\"uote", "application/x-directory"), dir);
      assertTrue(dir.isDirectory());
      assertEquals(0, parser.body().readAllBytes().length);
      assertEquals(Optional.empty(), parser.next());
    }
  }

  @Test
  void skipsAnUnreadBodyToReachTheNextPart() throws IOException {
    byte[] data = body("first body".getBytes(StandardCharsets.UTF_8), "x".getBytes());
    MultipartParser parser = new MultipartParser(trickle(data, 5), B);
    parser.next().orElseThrow();
    assertEquals("file-1", parser.next().orElseThrow().field());
    assertEquals("x", new String(parser.body().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void aBodyCutBeforeItsClosingDelimiterFails() throws IOException {
    byte[] whole = body(new byte[10_000], new byte[0]);
    byte[] cut = java.util.Arrays.copyOf(whole, 5000);
    MultipartParser parser = new MultipartParser(new ByteArrayInputStream(cut), B);
    parser.next().orElseThrow();
    IOException e = assertThrows(IOException.class, () -> parser.body().readAllBytes());
    assertTrue(e.getMessage().contains("closing boundary is missing"), e.getMessage());
  }

  @Test
  void refusesAHeadBeyondItsLimitAndABodyWithoutBoundary() {
    byte[] huge =
        ("--" + B + "\r\nX-Long: " + "a".repeat(MultipartParser.MAX_HEAD) + "\r\n\r\nbody")
            .getBytes(StandardCharsets.ISO_8859_1);
    IOException head =
        assertThrows(
            IOException.class, () -> new MultipartParser(new ByteArrayInputStream(huge), B).next());
    assertTrue(head.getMessage().contains("longer than"), head.getMessage());
    IOException none =
        assertThrows(
            IOException.class,
            () -> new MultipartParser(new ByteArrayInputStream(new byte[100_000]), B).next());
    assertTrue(none.getMessage().contains("no multipart boundary"), none.getMessage());
  }

  @Test
  void readsTheBoundaryParameterQuotedOrNot() {
    assertEquals(Optional.of("abc"), MultipartParser.boundary("multipart/form-data; boundary=abc"));
    assertEquals(
        Optional.of("a b"), MultipartParser.boundary("multipart/form-data; BOUNDARY=\"a b\""));
    assertEquals(Optional.empty(), MultipartParser.boundary("multipart/form-data"));
    assertEquals(
        Optional.empty(),
        MultipartParser.boundary("multipart/form-data; boundary=" + "x".repeat(71)));
  }
}
