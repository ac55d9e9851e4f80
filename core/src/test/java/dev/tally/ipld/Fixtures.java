package dev.tally.ipld;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Access to the ipld/codec-fixtures vectors copied into the test resources. */
final class Fixtures {
  private Fixtures() {}

  static Path root() {
    URL url = Fixtures.class.getResource("/ipld-codec-fixtures");
    if (url == null) {
      throw new IllegalStateException("test resource /ipld-codec-fixtures is missing");
    }
    try {
      return Paths.get(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fixture directories, sorted by name. */
  static List<Path> directories() {
    return list(root().resolve("fixtures"));
  }

  /** The encoded files of one fixture, named {@code <cid>.<codec name>}, sorted. */
  static List<Path> files(Path dir) {
    return list(dir);
  }

  static String codecName(Path file) {
    String name = file.getFileName().toString();
    return name.substring(name.indexOf('.') + 1);
  }

  static String cidText(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.indexOf('.'));
  }

  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every fixture file encoded with {@code codecName}. */
  static List<byte[]> allEncodedWith(String codecName) {
    return directories().stream()
        .flatMap(d -> files(d).stream())
        .filter(f -> codecName(f).equals(codecName))
        .map(Fixtures::read)
        .collect(Collectors.toList());
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
