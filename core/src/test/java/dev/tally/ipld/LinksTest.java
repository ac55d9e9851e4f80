package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LinksTest {

  @Test
  void everyCodecOfAFixtureReportsTheSameLinks() {
    int fixturesWithLinks = 0;
    for (Path dir : Fixtures.directories()) {
      List<List<Cid>> perCodec =
          Fixtures.files(dir).stream()
              // Document order follows each codec's key order, so compare the sorted lists.
              .map(f -> sorted(Links.of(Cid.parse(Fixtures.cidText(f)).codec(), Fixtures.read(f))))
              .collect(Collectors.toList());
      for (List<Cid> links : perCodec) {
        assertEquals(perCodec.get(0), links, dir.getFileName().toString());
      }
      fixturesWithLinks += perCodec.get(0).isEmpty() ? 0 : 1;
    }
    // the cid-* and dagpb_* fixtures with links
    assertTrue(fixturesWithLinks >= 20, "fixtures with links: " + fixturesWithLinks);
  }

  private static List<Cid> sorted(List<Cid> cids) {
    return cids.stream().sorted().collect(Collectors.toList());
  }

  @Test
  void dagPbLinksComeFromTheWireFormatInOrder() {
    Path dir = Fixtures.root().resolve("fixtures/dagpb_2link+data");
    Path pb =
        Fixtures.files(dir).stream()
            .filter(f -> Fixtures.codecName(f).equals("dag-pb"))
            .findFirst()
            .orElseThrow();
    // The two link CIDs written in the fixture's DAG-JSON form.
    assertEquals(
        List.of(
            Cid.parse("QmXg9Pp2ytZ14xgmQjYEiHjVjMFXzCVVEcRTWJBmLgR39U"),
            Cid.parse("QmXg9Pp2ytZ14xgmQjYEiHjVjMFXzCVVEcRTWJBmLgR39V")),
        Links.of(Block.create(Multicodec.DAG_PB, Fixtures.read(pb))));
  }

  @Test
  void rawBlocksLinkNowhere() {
    assertEquals(List.of(), Links.of(Block.create(Multicodec.RAW, new byte[] {(byte) 0xd8, 42})));
  }

  @Test
  void unsupportedCodecIsNamed() {
    CodecException e =
        assertThrows(CodecException.class, () -> Links.of(Multicodec.LIBP2P_KEY, new byte[0]));
    assertTrue(e.getMessage().contains("0x72"), e.getMessage());
  }

  @Test
  void collectsLinksFromValuesDeeperThanAnyCodecAllows() {
    Cid cid = Cid.parse("bafkqabiaaebagba");
    IpldNode node = IpldNode.of(cid);
    for (int i = 0; i < 100_000; i++) {
      node = IpldNode.list(node);
    }
    assertEquals(List.of(cid), Links.collect(node));
    IpldNode deep = node;
    assertThrows(CodecException.class, () -> DagCbor.encode(deep));
    assertThrows(CodecException.class, () -> DagJson.encode(deep));
  }
}
