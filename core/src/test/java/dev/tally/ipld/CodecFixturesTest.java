package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every positive fixture of ipld/codec-fixtures: each encoding decodes and re-encodes to the same
 * bytes, hashes to the CID in its file name, and its data model encodes in every other codec of the
 * fixture to exactly that codec's bytes.
 */
class CodecFixturesTest {

  @Test
  void findsTheFixtureSet() {
    // Guards the dynamic tests below against silently running over an empty directory.
    assertTrue(Fixtures.directories().size() >= 90, "fixture directories found");
  }

  @TestFactory
  Stream<DynamicNode> everyFixtureRoundTripsToItsBytesAndCid() {
    return Fixtures.directories().stream()
        .map(
            dir ->
                dynamicContainer(
                    dir.getFileName().toString(),
                    Fixtures.files(dir).stream()
                        .map(f -> dynamicTest(Fixtures.codecName(f), () -> roundTrips(f)))));
  }

  @TestFactory
  Stream<DynamicNode> everyFixtureEncodesAcrossCodecsToTheOtherFixtureBytes() {
    return Fixtures.directories().stream()
        .map(dir -> dynamicContainer(dir.getFileName().toString(), crossCodecTests(dir)));
  }

  private static void roundTrips(Path file) {
    byte[] bytes = Fixtures.read(file);
    Codec codec = codec(file);
    IpldNode node = codec.decode(bytes);
    assertArrayEquals(bytes, codec.encode(node), () -> "re-encoded " + hexOf(codec.encode(node)));

    Cid expected = Cid.parse(Fixtures.cidText(file));
    assertEquals(codec.code(), expected.codec(), "codec in the file name's CID");
    Multihash hash = Multihash.sum(expected.multihash().code(), bytes);
    Cid actual = expected.version() == 0 ? Cid.v0(hash) : Cid.v1(codec.code(), hash);
    assertEquals(expected, actual);
  }

  private static Stream<DynamicNode> crossCodecTests(Path dir) {
    List<Path> files = Fixtures.files(dir);
    List<DynamicNode> tests = new ArrayList<>();
    for (Path from : files) {
      for (Path to : files) {
        if (from.equals(to)) {
          continue;
        }
        tests.add(
            dynamicTest(
                Fixtures.codecName(from) + " -> " + Fixtures.codecName(to),
                () -> {
                  IpldNode node = codec(from).decode(Fixtures.read(from));
                  byte[] expected = Fixtures.read(to);
                  byte[] actual = codec(to).encode(node);
                  assertArrayEquals(expected, actual, () -> "encoded " + hexOf(actual));
                  assertEquals(codec(to).decode(expected), node, "data models agree");
                }));
      }
    }
    assertFalse(files.isEmpty(), "fixture " + dir + " has no files");
    return tests.stream();
  }

  private static Codec codec(Path file) {
    String name = Fixtures.codecName(file);
    return Codecs.byName(name).orElseThrow(() -> new AssertionError("no codec named " + name));
  }

  private static String hexOf(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
