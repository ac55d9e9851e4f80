package dev.tally.car;

import static dev.tally.car.CarTestData.hex;
import static dev.tally.car.CarTestData.open;
import static dev.tally.car.CarTestData.readAll;
import static dev.tally.car.CarTestData.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.multiformats.Varint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CarRejectsBadInputTest {
  private static final long TEN_GIB = 10L << 30;

  /** go-car's clean single-block CAR (TestEOFHandling). */
  private static final byte[] GO_CAR_SINGLE =
      hex(
          "3aa265726f6f747381d82a58250001711220151fe9e73c6267a7060c6f6c4cca943c236f4b196723489608"
              + "edb42a8b8fa80b6776657273696f6e012c01711220151fe9e73c6267a7060c6f6c4cca943c236f4b19"
              + "6723489608edb42a8b8fa80ba165646f646779f5");

  static Stream<String> goCarBadHeaders() {
    return CarTestData.resourceLines("go-car-bad-headers.txt").stream();
  }

  @ParameterizedTest
  @MethodSource("goCarBadHeaders")
  void rejectsHeadersGoCarRejects(String line) {
    String[] parts = line.split("\t");
    byte[] archive = hex(parts[1]);
    CarException e = assertThrows(CarException.class, () -> readAll(archive), parts[0]);
    assertTrue(e.offset().isPresent(), e.getMessage());
  }

  @Test
  void endsCleanlyAfterTheLastSection() throws IOException {
    List<Block> blocks = readAll(GO_CAR_SINGLE);
    assertEquals(1, blocks.size());
    assertEquals(
        Cid.parse("bafyreiavd7u6opdcm6tqmddpnrgmvfb4enxuwglhenejmchnwqvixd5ibm"),
        blocks.get(0).cid());
  }

  @Test
  void rejectsATruncatedSectionLengthVarint() {
    byte[] archive = append(GO_CAR_SINGLE, 0xa0);
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertEquals(GO_CAR_SINGLE.length, e.offset().getAsLong());
  }

  @Test
  void rejectsATruncatedSection() {
    byte[] archive = append(GO_CAR_SINGLE, 100, 0, 0);
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertEquals(GO_CAR_SINGLE.length, e.offset().getAsLong());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void rejectsEveryTruncationOfTheFixture() throws IOException {
    byte[] archive = resource("carv1-basic.car");
    int[] sectionEnds = {100, 192, 325, 366, 496, 537, 619, 660, 715};
    for (int cut = 0; cut < archive.length; cut++) {
      byte[] prefix = Arrays.copyOf(archive, cut);
      if (Arrays.binarySearch(sectionEnds, cut) >= 0) {
        readAll(prefix); // a cut at a section boundary is a shorter, valid archive
      } else {
        assertThrows(CarException.class, () -> readAll(prefix), "cut at " + cut);
      }
    }
  }

  @Test
  void rejectsABlockThatDoesNotMatchItsCidNamingCidAndOffset() {
    byte[] archive = resource("carv1-basic.car");
    archive[362] ^= 1; // first data byte of bafkreifw7... ("cccc"), section at 325
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    Cid bad = Cid.parse("bafkreifw7plhl6mofk6sfvhnfh64qmkq73oeqwl6sloru6rehaoujituke");
    assertEquals(bad, e.cid().orElseThrow());
    assertEquals(325, e.offset().getAsLong());
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("325"), e.getMessage());
  }

  @Test
  void reportsTheMismatchOnceAndRefusesToContinue() throws IOException {
    byte[] archive = resource("carv1-basic.car");
    archive[362] ^= 1;
    try (CarReader reader = open(archive)) {
      reader.next();
      reader.next();
      assertThrows(CarException.class, reader::next);
      assertThrows(CarException.class, reader::next);
    }
  }

  @Test
  void rejectsATenGibSectionLengthWithoutAllocatingIt() {
    byte[] header = Arrays.copyOf(resource("carv1-basic.car"), 100);
    byte[] archive = concat(header, Varint.encode(TEN_GIB), new byte[] {1, 0x55, 0, 0});
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertEquals(100, e.offset().getAsLong());
    assertTrue(e.getMessage().contains(Long.toString(TEN_GIB)), e.getMessage());
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void rejectsATenGibHeaderLength() {
    byte[] archive = concat(Varint.encode(TEN_GIB), new byte[] {(byte) 0xa2});
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertEquals(0, e.offset().getAsLong());
    assertTrue(e.getMessage().contains("limit"), e.getMessage());
  }

  @Test
  void aLyingSectionLengthWithinTheLimitCostsOnlyTheBytesPresent() {
    byte[] header = Arrays.copyOf(resource("carv1-basic.car"), 100);
    byte[] archive =
        concat(header, Varint.encode(CarLimits.DEFAULT.maxSectionBytes()), new byte[8]);
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertTrue(e.getMessage().contains("only 8 remain"), e.getMessage());
  }

  @Test
  void appliesCustomLimits() {
    byte[] archive = resource("carv1-basic.car");
    CarException header =
        assertThrows(
            CarException.class,
            () -> CarReader.open(new ByteArrayInputStream(archive), new CarLimits(98, 100)));
    assertTrue(header.getMessage().contains("99"), header.getMessage());
    CarException block =
        assertThrows(
            CarException.class,
            () -> {
              try (CarReader r =
                  CarReader.open(new ByteArrayInputStream(archive), new CarLimits(99, 96))) {
                CarTestData.readAll(r);
              }
            });
    // 97-byte dag-pb block QmNX6... at 192 exceeds 96
    assertEquals(192, block.offset().getAsLong());
    assertEquals(
        Cid.parse("QmNX6Tffavsya4xgBi2VJQnSuqy9GsxongxZZ9uZBqp16d"), block.cid().orElseThrow());
  }

  @Test
  void rejectsAZeroLengthSection() {
    byte[] archive = append(GO_CAR_SINGLE, 0);
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertTrue(e.getMessage().contains("length 0"), e.getMessage());
  }

  @Test
  void rejectsASectionWhoseCidIsMalformed() {
    // CID version 2 does not exist
    byte[] archive = concat(GO_CAR_SINGLE, new byte[] {5, 2, 0x55, 0, 0, 0});
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertEquals(GO_CAR_SINGLE.length, e.offset().getAsLong());
  }

  @Test
  void rejectsABlockWhoseHashFunctionCannotBeVerified() {
    // murmur3-x64-64 (0x22) is a valid multihash code that Tally does not implement.
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.of(0x22, new byte[8]));
    byte[] section = concat(Varint.encode(cid.encodedLength() + 3L), cid.bytes(), new byte[3]);
    byte[] archive = concat(GO_CAR_SINGLE, section);
    CarException e = assertThrows(CarException.class, () -> readAll(archive));
    assertEquals(cid, e.cid().orElseThrow());
  }

  @Test
  void rejectsAnEmptyArchive() {
    CarException e = assertThrows(CarException.class, () -> readAll(new byte[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void rejectsNonCanonicalHeaderKeyOrder() {
    // {version:1, roots:[...]}: keys out of DAG-CBOR order
    byte[] body = hex("a26776657273696f6e0165726f6f747381d82a480001000003616263");
    assertThrows(CarException.class, () -> readAll(concat(Varint.encode(body.length), body)));
  }

  @Test
  void rejectsTruncatedCarV2() {
    byte[] archive = resource("carv2-basic.car");
    for (int cut : new int[] {5, 11, 30, 50, 60, 107, 200, 498}) {
      byte[] prefix = Arrays.copyOf(archive, cut);
      assertThrows(CarException.class, () -> readAll(prefix), "cut at " + cut);
    }
  }

  @Test
  void rejectsCarV2HeaderFieldsThatCannotHold() {
    byte[] archive = resource("carv2-basic.car");
    assertThrows(CarException.class, () -> readAll(patchLong(archive, 27, 50)));
    assertThrows(CarException.class, () -> readAll(patchLong(archive, 35, -1)));
    assertThrows(CarException.class, () -> readAll(patchLong(archive, 43, 100)));
    // A payload size past the end of the stream is a truncated archive.
    assertThrows(CarException.class, () -> readAll(patchLong(archive, 35, 449 + 216 + 1)));
  }

  @Test
  void rejectsACarV2PayloadThatIsItselfACarV2() {
    byte[] inner = CarTestData.wrapV2(resource("carv1-basic.car"), 0, 0, new byte[0]);
    byte[] outer = CarTestData.wrapV2(inner, 0, 0, new byte[0]);
    CarException e = assertThrows(CarException.class, () -> readAll(outer));
    assertEquals(51, e.offset().getAsLong());
  }

  @Test
  void writerRefusesBlocksItsReaderWouldRefuse() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter writer =
        CarWriter.open(out, new CarHeader(List.of()), new CarLimits(1024, 16))) {
      assertThrows(
          CarException.class, () -> writer.write(Block.create(Multicodec.RAW, new byte[17])));
      writer.write(Block.create(Multicodec.RAW, new byte[16]));
    }
  }

  @Test
  void ioFailuresOfTheStreamAreNotDisguised() {
    byte[] archive = resource("carv1-basic.car");
    InputStream failing =
        new InputStream() {
          int pos;

          @Override
          public int read() throws IOException {
            if (pos >= 150) {
              throw new IOException("disk on fire");
            }
            return archive[pos++] & 0xff;
          }
        };
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (CarReader r = CarReader.open(failing)) {
                readAll(r);
              }
            });
    assertEquals("disk on fire", e.getMessage());
  }

  @Test
  void closesTheStreamWhenTheHeaderIsRejected() {
    boolean[] closed = {false};
    InputStream in =
        new ByteArrayInputStream(hex("01f6")) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    assertThrows(CarException.class, () -> CarReader.open(in));
    assertTrue(closed[0]);
  }

  private static byte[] patchLong(byte[] archive, int at, long value) {
    byte[] copy = archive.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    return copy;
  }

  private static byte[] append(byte[] a, int... extra) {
    byte[] out = Arrays.copyOf(a, a.length + extra.length);
    for (int i = 0; i < extra.length; i++) {
      out[a.length + i] = (byte) extra[i];
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
