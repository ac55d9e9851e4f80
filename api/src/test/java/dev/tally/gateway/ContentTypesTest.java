package dev.tally.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentTypesTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void extensionWinsOverContent() {
    assertEquals("text/css; charset=utf-8", ContentTypes.of("style.CSS", new byte[] {0, 1, 2}));
    assertEquals("application/wasm", ContentTypes.of("m.wasm", new byte[0]));
  }

  @Test
  void sniffsFileSignatures() {
    // Signatures from the PNG (RFC 2083), GIF89a, PDF and ZIP specifications.
    assertEquals("image/png", ContentTypes.of("", bytes(0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0)));
    assertEquals(
        "image/gif", ContentTypes.of("x", "GIF89a....".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        "application/pdf", ContentTypes.of("x", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("application/zip", ContentTypes.of("x.unknown", bytes('P', 'K', 3, 4, 20)));
    assertEquals(
        "text/html; charset=utf-8",
        ContentTypes.of("page", "  <!DOCTYPE html><html>".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void tellsTextFromBinary() {
    assertEquals(
        "text/plain; charset=utf-8",
        ContentTypes.of("notes", "héllo wörld\n".getBytes(StandardCharsets.UTF_8)));
    // A multi-byte character cut by the sniffing window is still text.
    byte[] cut = "ab€".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        "text/plain; charset=utf-8",
        ContentTypes.of("notes", java.util.Arrays.copyOf(cut, cut.length - 1)));
    assertEquals("application/octet-stream", ContentTypes.of("blob", bytes(0, 1, 2, 0xff, 0xfe)));
  }
}
