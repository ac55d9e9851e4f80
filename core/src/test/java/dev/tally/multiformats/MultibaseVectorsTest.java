package dev.tally.multiformats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the multiformats/multibase test CSVs (copied under test resources). */
class MultibaseVectorsTest {
  private static final String DIR = "/dev/tally/multiformats/multibase/";

  record Vector(String file, String base, byte[] input, String encoded) {}

  static List<Vector> load(String file) throws IOException {
    String text;
    try (InputStream in = MultibaseVectorsTest.class.getResourceAsStream(DIR + file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    byte[] input = unescape(quoted(lines.get(0)));
    List<Vector> out = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String base = line.substring(0, line.indexOf(',')).trim();
      out.add(new Vector(file, base, input, quoted(line)));
    }
    return out;
  }

  private static String quoted(String line) {
    return line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
  }

  /** The CSVs write bytes as text with {@code \xNN} escapes. */
  private static byte[] unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\x", i)) {
        sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static Stream<Arguments> canonical() throws IOException {
    return Stream.of("basic.csv", "leading_zero.csv", "two_leading_zeros.csv")
        .flatMap(
            f -> {
              try {
                return load(f).stream();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .map(v -> Arguments.of(v.file() + ":" + v.base(), v));
  }

  static Stream<Arguments> caseInsensitive() throws IOException {
    return load("case_insensitivity.csv").stream().map(v -> Arguments.of(v.base(), v));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("canonical")
  void encodesAndDecodesCanonicalVector(String name, Vector v) {
    Multibase base = Multibase.byName(v.base()).orElseThrow();
    assertEquals(v.encoded(), base.encode(v.input()));
    assertArrayEquals(v.input(), Multibase.decode(v.encoded()));
    assertEquals(base, Multibase.of(v.encoded()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("caseInsensitive")
  void decodesMixedCaseText(String name, Vector v) {
    assertArrayEquals(v.input(), Multibase.decode(v.encoded()));
  }

  @Test
  void everyBaseInTheVectorsExists() throws IOException {
    Set<Multibase> seen = EnumSet.noneOf(Multibase.class);
    for (Vector v : load("basic.csv")) {
      seen.add(Multibase.byName(v.base()).orElseThrow(() -> new AssertionError(v.base())));
    }
    assertEquals(EnumSet.allOf(Multibase.class), seen);
  }

  @Test
  void everyFinalEncodingOfTheTableIsImplemented() throws IOException {
    String table;
    try (InputStream in = getClass().getResourceAsStream(DIR + "multibase.csv")) {
      table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int finals = 0;
    for (String line : table.lines().skip(1).toList()) {
      String[] f = line.split(",");
      if (f.length >= 5 && f[4].trim().equals("final")) {
        String name = f[2].trim();
        assertTrue(Multibase.byName(name).isPresent(), name);
        assertEquals(f[1].trim(), Multibase.byName(name).get().prefix());
        finals++;
      }
    }
    assertTrue(finals >= 8, "expected the table's final encodings, found " + finals);
  }
}
