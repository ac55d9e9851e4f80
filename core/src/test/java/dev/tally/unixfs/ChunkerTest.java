package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkerTest {

  private static List<byte[]> chunks(ChunkerSpec spec, InputStream in) throws IOException {
    Chunker chunker = spec.open(in);
    List<byte[]> out = new ArrayList<>();
    for (Optional<byte[]> c = chunker.next(); c.isPresent(); c = chunker.next()) {
      out.add(c.get());
    }
    return out;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void emptyStreamIsOneEmptyChunk() throws IOException {
    for (String spec : List.of("size-1024", "rabin-64-128-256")) {
      List<byte[]> out = chunks(ChunkerSpec.parse(spec), new ByteArrayInputStream(new byte[0]));
      assertEquals(1, out.size(), spec);
      assertEquals(0, out.get(0).length, spec);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 999, 1000, 1001, 5000, 5001})
  void fixedSizeCutsEveryNBytes(int length) throws IOException {
    byte[] data = random(length, length);
    List<byte[]> out = chunks(ChunkerSpec.fixed(1000), new ByteArrayInputStream(data));
    assertEquals((length + 999) / 1000, out.size());
    for (int i = 0; i < out.size() - 1; i++) {
      assertEquals(1000, out.get(i).length);
    }
    assertArrayEquals(data, concat(out));
  }

  @Test
  void fixedSizeKeepsBoundariesWhenTheStreamUnderstatesWhatItHolds() throws IOException {
    byte[] data = random(2500, 1);
    InputStream lying =
        new ByteArrayInputStream(data) {
          @Override
          public synchronized int available() {
            return Math.min(10, super.available());
          }
        };
    List<byte[]> out = chunks(ChunkerSpec.fixed(1000), lying);
    assertEquals(List.of(1000, 1000, 500), out.stream().map(c -> c.length).toList());
    assertArrayEquals(data, concat(out));
  }

  @Test
  void rabinTablesMatchGoIpfs() {
    // Table entries of go-ipfs's rabin chunker (polynomial 0x3DF305DFB2A805, window 16).
    RabinChunker.Tables kubo = RabinChunker.KUBO;
    assertEquals(0x17fa63217c2ad7L, kubo.out[1]);
    assertEquals(0x1207c39d4afdabL, kubo.out[2]);
    assertEquals(0x171e3aded86a75L, kubo.out[255]);
    assertEquals(0x3df305dfb2a805L, kubo.mod[1]);
    assertEquals(0x46150e60d7f80fL, kubo.mod[2]);
  }

  /**
   * ipfs-unixfs-importer's rabin (rabin-wasm) runs the same algorithm with another polynomial,
   * 0x3DA3358B4DC173. With that polynomial our chunker must cut exactly where it does; the sizes
   * below are what ipfs-unixfs-importer 17.1.1 printed for {@code rabin({minChunkSize: 4096,
   * avgChunkSize: 16384, maxChunkSize: 65536})} over the same 1 MiB LCG stream.
   */
  @Test
  void cutsWhereIpfsUnixfsImporterCutsWithItsPolynomial() throws IOException {
    byte[] data = new byte[1 << 20];
    int x = 1;
    for (int i = 0; i < data.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      data[i] = (byte) (x >>> 16);
    }
    Chunker chunker =
        new RabinChunker(
            new ByteArrayInputStream(data),
            4096,
            16384,
            65536,
            new RabinChunker.Tables(0x3DA3358B4DC173L));
    List<Integer> sizes = new ArrayList<>();
    for (Optional<byte[]> c = chunker.next(); c.isPresent(); c = chunker.next()) {
      sizes.add(c.get().length);
    }
    assertEquals(
        List.of(
            37654, 40776, 11530, 19660, 19078, 40175, 4926, 16531, 35909, 25381, 13538, 13177, 6570,
            26210, 15591, 11206, 37182, 5164, 19775, 17309, 35733, 16068, 15061, 34561, 9519, 5424,
            49455, 27556, 5067, 44808, 13771, 12061, 4154, 12932, 4503, 7821, 5282, 10882, 11950,
            43840, 4572, 4143, 36684, 63918, 5172, 10892, 8367, 10822, 17454, 11286, 4354, 23041,
            28902, 31179),
        sizes);
  }

  @Test
  void rabinChunksStayWithinBoundsAndCoverTheInput() throws IOException {
    byte[] data = random(3 << 20, 7);
    ChunkerSpec spec = ChunkerSpec.parse("rabin-16384-65536-131072");
    List<byte[]> out = chunks(spec, new ByteArrayInputStream(data));
    for (int i = 0; i < out.size(); i++) {
      int len = out.get(i).length;
      assertTrue(len <= 131072, "chunk " + i + " too long: " + len);
      assertTrue(i == out.size() - 1 || len >= 16384, "chunk " + i + " too short: " + len);
    }
    assertArrayEquals(data, concat(out));
    // Content-defined cuts on random data: far more cuts than the 24 max-size chunks would give.
    assertTrue(out.size() > 30, "only " + out.size() + " chunks");
  }

  @Test
  void rabinBoundariesFollowContentNotOffsets() throws IOException {
    byte[] data = random(2 << 20, 11);
    byte[] shifted = new byte[data.length + 100];
    System.arraycopy(random(100, 12), 0, shifted, 0, 100);
    System.arraycopy(data, 0, shifted, 100, data.length);
    ChunkerSpec spec = ChunkerSpec.parse("rabin-8192-32768-65536");
    Set<String> original = new HashSet<>();
    for (byte[] c : chunks(spec, new ByteArrayInputStream(data))) {
      original.add(java.util.HexFormat.of().formatHex(c));
    }
    List<byte[]> after = chunks(spec, new ByteArrayInputStream(shifted));
    long shared =
        after.stream()
            .filter(c -> original.contains(java.util.HexFormat.of().formatHex(c)))
            .count();
    assertTrue(
        shared >= after.size() - 3, shared + " of " + after.size() + " chunks survived a shift");
  }

  @Test
  void parsesKuboChunkerSyntax() {
    assertEquals("size-262144", ChunkerSpec.parse("size-262144").toString());
    assertEquals("rabin-87381-262144-393216", ChunkerSpec.parse("rabin").toString());
    assertEquals("rabin-1365-4096-6144", ChunkerSpec.parse("rabin-4096").toString());
    assertEquals("rabin-100-200-300", ChunkerSpec.parse("rabin-100-200-300").toString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "size-0",
        "size-x",
        "size-2000000",
        "rabin-8-16-32",
        "rabin-300-200-100",
        "buzhash",
        ""
      })
  void rejectsBadChunkerSpecs(String spec) {
    assertThrows(UnixfsException.class, () -> ChunkerSpec.parse(spec));
  }

  private static byte[] concat(List<byte[]> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    chunks.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
