package dev.tally.http;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Upload bodies and their Content-Type come from any client of {@code /api/v0/add}, {@code
 * dag/import} and {@code block/put}. Mutations of a valid multipart body (heads, boundaries, CRLFs,
 * truncations) fail only with an {@link IOException} naming the malformed framing, and the parser's
 * memory stays within its fixed buffer whatever the body claims.
 */
class MalformedMultipartPropertiesTest {

  @Property(tries = 400, seed = "4111")
  void mutatedBodiesFailOnlyWithIOException(@ForAll long seed) {
    Random r = new Random(seed);
    String boundary = "b" + Long.toHexString(r.nextLong());
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int p = 1 + r.nextInt(3); p > 0; p--) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d%2Ff"
                  + p
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      body.writeBytes(randomBytes(r, r.nextInt(300)));
      body.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    byte[] input = body.toByteArray();
    for (int i = r.nextInt(3); i >= 0; i--) {
      input = variant(input, r);
    }
    check(
        IOException.class,
        input,
        b -> readAll(new MultipartParser(new ByteArrayInputStream(b), boundary)));
  }

  @Property(tries = 300, seed = "4112")
  void hostileContentTypesNeverThrow(@ForAll long seed) {
    Random r = new Random(seed);
    String valid = "multipart/form-data; boundary=\"" + Long.toHexString(r.nextLong()) + "\"";
    String input = variant(variant(valid, r), r);
    check(
        NeverThrown.class,
        input,
        t -> {
          Optional<String> b = MultipartParser.boundary(t);
          if (b.isPresent() && b.get().isEmpty()) {
            throw new AssertionError("an empty boundary was accepted from " + t);
          }
        });
  }

  /** Nothing throws this: any exception from the parse fails the check. */
  private static final class NeverThrown extends RuntimeException {}

  private static void readAll(MultipartParser parser) throws IOException {
    while (parser.next().isPresent()) {
      InputStream in = parser.body();
      in.readAllBytes();
    }
  }
}
