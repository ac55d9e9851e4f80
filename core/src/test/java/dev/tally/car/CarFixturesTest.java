package dev.tally.car;

import static dev.tally.car.CarTestData.open;
import static dev.tally.car.CarTestData.readAll;
import static dev.tally.car.CarTestData.resource;
import static dev.tally.car.CarTestData.resourceLines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The spec fixtures and the layouts go-car and js-car produce. Expected CIDs, offsets and lengths
 * are the goCarIndex / goCarV2Index tables of ipld/js-car test/common.js.
 */
class CarFixturesTest {

  /** CID, section offset, section length (varint included) and block length per section. */
  private record Section(String cid, long offset, long length, int blockLength) {}

  private static final List<Section> V1_SECTIONS =
      List.of(
          new Section("bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm", 100, 92, 55),
          new Section("QmNX6Tffavsya4xgBi2VJQnSuqy9GsxongxZZ9uZBqp16d", 192, 133, 97),
          new Section("bafkreifw7plhl6mofk6sfvhnfh64qmkq73oeqwl6sloru6rehaoujituke", 325, 41, 4),
          new Section("QmWXZxVQ9yZfhQxLD35eDR8LiMRsYtHxYqTFCBbJoiJVys", 366, 130, 94),
          new Section("bafkreiebzrnroamgos2adnbpgw5apo3z4iishhbdx77gldnbk57d4zdio4", 496, 41, 4),
          new Section("QmdwjhxpxzcMsR3qUuj7vUL8pbA7MgR3GAxWi2GLHjsKCT", 537, 82, 47),
          new Section("bafkreidbxzk2ryxwwtqxem4l3xyyjvw35yu4tcct4cqeqxwo47zhxgxqwq", 619, 41, 4),
          new Section("bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm", 660, 55, 18));

  private static final List<Section> V2_SECTIONS =
      List.of(
          new Section("QmfEoLyB5NndqeKieExd1rtJzTduQUPEV8TwAYcUiy3H5Z", 108, 82, 47),
          new Section("QmczfirA7VEH7YVvKPTPoU69XM3qY4DC39nnTsWd4K3SkM", 190, 135, 99),
          new Section("Qmcpz2FHJD7VAhg1fxFXdYJKePtkx1BsHuCrAgWVnaHMTE", 325, 89, 54),
          new Section("bafkreifuosuzujyf4i6psbneqtwg2fhplc2wxptc5euspa2gn3bwhnihfu", 414, 41, 4),
          new Section("bafkreifc4hca3inognou377hfhvu2xfchn2ltzi7yu27jkaeujqqqdbjju", 455, 44, 7));

  @Test
  void readsCarV1BasicWithRootsOffsetsAndVerifiedBlocks() throws IOException {
    byte[] archive = resource("carv1-basic.car");
    try (CarReader reader = open(archive)) {
      assertEquals(1, reader.version());
      assertEquals(
          List.of(
              Cid.parse("bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm"),
              Cid.parse("bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm")),
          reader.roots());
      assertTrue(reader.v2Header().isEmpty());
      assertSections(reader, V1_SECTIONS, archive.length);
    }
  }

  @Test
  void readsCarV2BasicPayloadAndStopsBeforeTheIndex() throws IOException {
    byte[] archive = resource("carv2-basic.car");
    try (CarReader reader = open(archive)) {
      assertEquals(2, reader.version());
      assertEquals(new CarV2Header(51, 448, 499), reader.v2Header().orElseThrow());
      assertEquals(
          List.of(Cid.parse("QmfEoLyB5NndqeKieExd1rtJzTduQUPEV8TwAYcUiy3H5Z")), reader.roots());
      assertSections(reader, V2_SECTIONS, 51 + 448);
    }
  }

  @Test
  void carV2BlocksDecodeToTheSpecContents() throws IOException {
    Map<String, String> rawContents = new HashMap<>();
    for (Block b : readAll(resource("carv2-basic.car"))) {
      rawContents.put(
          b.cid().toString(), new String(b.bytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(
        "fish", rawContents.get("bafkreifuosuzujyf4i6psbneqtwg2fhplc2wxptc5euspa2gn3bwhnihfu"));
    assertEquals(
        "lobster", rawContents.get("bafkreifc4hca3inognou377hfhvu2xfchn2ltzi7yu27jkaeujqqqdbjju"));
  }

  @Test
  void writesCarV1BasicByteForByteAsGoCar() throws IOException {
    byte[] archive = resource("carv1-basic.car");
    List<Cid> roots;
    List<Block> blocks;
    try (CarReader reader = open(archive)) {
      roots = reader.roots();
      blocks = readAll(reader);
    }
    assertArrayEquals(archive, CarTestData.writeV1(roots, blocks));
  }

  @Test
  void writesTheLayoutJsCarExpectsForTheSameBlocks() throws IOException {
    byte[] archive = resource("carv1-basic.car");
    List<Cid> roots;
    Map<Cid, Block> byCid = new HashMap<>();
    try (CarReader reader = open(archive)) {
      roots = reader.roots();
      readAll(reader).forEach(b -> byCid.put(b.cid(), b));
    }
    List<Block> ordered = new ArrayList<>();
    for (String cid : resourceLines("expected-js-car-order.txt")) {
      ordered.add(byCid.get(Cid.parse(cid)));
    }
    assertArrayEquals(resource("js-car-written.car"), CarTestData.writeV1(roots, ordered));
  }

  @Test
  void headerEncodingMatchesTheFixtureHeaderBytes() {
    byte[] archive = resource("carv1-basic.car");
    CarHeader header =
        CarHeader.of(
            Cid.parse("bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm"),
            Cid.parse("bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm"));
    // The header block is bytes 1..99 (a one-byte varint 0x63 = 99 precedes it).
    assertEquals(0x63, archive[0]);
    assertArrayEquals(Arrays.copyOfRange(archive, 1, 100), header.encode());
    assertEquals(header, CarHeader.decode(header.encode()));
  }

  @Test
  void carV2PayloadExtractedIsAValidCarV1WithTheSameBlocks() throws IOException {
    byte[] archive = resource("carv2-basic.car");
    byte[] payload = Arrays.copyOfRange(archive, 51, 51 + 448);
    try (CarReader v1 = CarReader.open(new ByteArrayInputStream(payload))) {
      assertEquals(1, v1.version());
      assertEquals(readAll(archive), readAll(v1));
    }
  }

  @Test
  void readsTheSmallestValidHeaderFromGoCarSanityCheck() throws IOException {
    // {version:1,roots:[baeaaaa3bmjrq]}: an identity CID as root, no blocks (go-car
    // TestBadHeaders).
    byte[] archive = CarTestData.hex("1ca265726f6f747381d82a4800010000036162636776657273696f6e01");
    try (CarReader reader = open(archive)) {
      assertEquals(List.of(Cid.parse("baeaaaa3bmjrq")), reader.roots());
      assertEquals(Optional.empty(), reader.next());
    }
  }

  private static void assertSections(CarReader reader, List<Section> expected, long end)
      throws IOException {
    for (Section s : expected) {
      assertEquals(s.offset(), reader.position(), "offset of " + s.cid());
      Block block = reader.next().orElseThrow();
      assertEquals(Cid.parse(s.cid()), block.cid());
      assertEquals(s.blockLength(), block.size());
      assertEquals(s.offset() + s.length(), reader.position(), "end of " + s.cid());
    }
    assertEquals(Optional.empty(), reader.next());
    assertEquals(end, reader.position());
    assertEquals(expected.size(), reader.blocksRead());
  }
}
