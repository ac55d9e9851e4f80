package dev.tally.car;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Test vectors and helpers shared by the CAR tests. */
final class CarTestData {
  private CarTestData() {}

  static byte[] resource(String name) {
    try (InputStream in = CarTestData.class.getResourceAsStream("/car/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /car/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> resourceLines(String name) {
    List<String> lines = new ArrayList<>();
    for (String line :
        new String(resource(name), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        lines.add(line);
      }
    }
    return lines;
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static CarReader open(byte[] archive) throws IOException {
    return CarReader.open(new ByteArrayInputStream(archive));
  }

  static List<Block> readAll(byte[] archive) throws IOException {
    try (CarReader reader = open(archive)) {
      return readAll(reader);
    }
  }

  static List<Block> readAll(CarReader reader) throws IOException {
    List<Block> blocks = new ArrayList<>();
    for (Optional<Block> b = reader.next(); b.isPresent(); b = reader.next()) {
      blocks.add(b.get());
    }
    return blocks;
  }

  /** Reads an archive's roots and every block with their positions, as an importer does. */
  static void readToEnd(byte[] archive, CarLimits limits) throws IOException {
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(archive), limits)) {
      reader.roots();
      while (reader.next().isPresent()) {
        reader.position();
      }
    }
  }

  static byte[] writeV1(List<Cid> roots, List<Block> blocks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CarWriter writer = CarWriter.open(out, roots)) {
      for (Block b : blocks) {
        writer.write(b);
      }
    }
    return out.toByteArray();
  }

  /**
   * Wraps a CARv1 in a CARv2 as the spec lays it out: pragma, 40-byte header, padding, payload,
   * padding, index bytes (opaque here).
   */
  static byte[] wrapV2(byte[] v1, int padBefore, int padAfter, byte[] index) {
    long dataOffset = CarV2Header.PREFIX_LENGTH + padBefore;
    long indexOffset = index.length == 0 ? 0 : dataOffset + v1.length + padAfter;
    ByteBuffer b =
        ByteBuffer.allocate((int) dataOffset + v1.length + padAfter + index.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(hex("0aa16776657273696f6e02"));
    b.put(new byte[16]);
    b.putLong(dataOffset).putLong(v1.length).putLong(indexOffset);
    b.put(new byte[padBefore]).put(v1).put(new byte[padAfter]).put(index);
    return b.array();
  }
}
