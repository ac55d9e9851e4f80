package dev.tally.ipld;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every negative fixture of ipld/codec-fixtures is refused with a {@link CodecException}. Decode
 * cases carry the bytes in hex; encode cases carry a data-model value written as DAG-JSON. The
 * fixture files are themselves read with our DAG-JSON decoder.
 */
class NegativeFixturesTest {

  @TestFactory
  Stream<DynamicTest> everyNegativeFixtureIsRejected() {
    Path root = Fixtures.root().resolve("negative-fixtures");
    List<DynamicTest> tests = new ArrayList<>();
    for (Path codecDir : list(root)) {
      String codecName = codecDir.getFileName().toString();
      Codec codec = Codecs.byName(codecName).orElseThrow();
      for (Path modeDir : list(codecDir)) {
        boolean decode = modeDir.getFileName().toString().equals("decode");
        for (Path file : list(modeDir)) {
          IpldNode cases = DagJson.decode(Fixtures.read(file));
          for (IpldNode c : cases.asList()) {
            IpldMap m = c.asMap();
            String name = codecName + " " + modeDir.getFileName() + ": " + m.get("name").get();
            tests.add(dynamicTest(name, () -> assertRejected(codec, decode, m)));
          }
        }
      }
    }
    assertFalse(tests.isEmpty(), "negative fixtures found");
    return tests.stream();
  }

  private static void assertRejected(Codec codec, boolean decode, IpldMap fixture) {
    CodecException e;
    if (decode) {
      byte[] bytes = Fixtures.hex(fixture.get("hex").orElseThrow().asString());
      e = assertThrows(CodecException.class, () -> codec.decode(bytes));
    } else {
      // Encode cases write the refused data-model value in DAG-JSON under the key "dag-json".
      IpldNode value = fixture.get("dag-json").orElseThrow();
      e = assertThrows(CodecException.class, () -> codec.encode(value));
    }
    assertNotNull(e.getMessage());
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
