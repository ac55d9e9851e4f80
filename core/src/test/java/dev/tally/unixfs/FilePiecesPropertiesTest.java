package dev.tally.unixfs;

import static dev.tally.testing.Hostile.variant;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.blockstore.StoredBody;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link UnixfsExporter#catPieces} (leaves as file ranges, ADR 044) against the ordinary {@code
 * cat} on the same DAG: for files of every leaf kind and tree shape, ranges anywhere, intact, with
 * one block hostilely edited, or with every dag-pb leaf re-encoded with one field changed (stored
 * under the old CIDs, as a broken store would return them), both give the same bytes or both fail
 * with the same {@link UnixfsException} message. The file-range path may only take a leaf the
 * ordinary decode accepts identically.
 */
class FilePiecesPropertiesTest {

  @Property(tries = 400, seed = "4401")
  void piecesGiveWhatCatGives(
      @ForAll long seed,
      @ForAll boolean rawLeaves,
      @ForAll @IntRange(min = 0, max = 2) int damage,
      @ForAll @IntRange(min = 0, max = 9000) int offset,
      @ForAll @IntRange(min = 0, max = 9000) int length)
      throws IOException {
    Random random = new Random(seed);
    MemoryBlockstore clean = new MemoryBlockstore();
    byte[] data = new byte[random.nextInt(8000)];
    random.nextBytes(data);
    ImportOptions options =
        ImportOptions.builder()
            .chunker("size-" + (100 + random.nextInt(1000)))
            .maxLinks(2 + random.nextInt(4))
            .cidVersion(rawLeaves || random.nextBoolean() ? 1 : 0)
            .rawLeaves(rawLeaves)
            .build();
    Cid root =
        new UnixfsImporter(clean, options).importStream(new ByteArrayInputStream(data), "").cid();
    List<Multihash> keys;
    try (var stream = clean.keys()) {
      keys = new ArrayList<>(stream.toList());
    }
    Multihash victim = keys.get(random.nextInt(keys.size()));
    MemoryBlockstore store = new MemoryBlockstore();
    Path file = Files.createTempFile("pieces", ".bin");
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      Map<Multihash, long[]> where = new HashMap<>();
      for (Multihash key : keys) {
        Cid asRaw = Cid.v1(0x55, key);
        byte[] bytes = clean.get(asRaw).orElseThrow().bytes();
        if (damage == 1 && key.equals(victim)) {
          for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            bytes = variant(bytes, random);
          }
        } else if (damage == 2) {
          bytes = leafEdit(bytes, random);
        }
        store.put(Block.ofOwned(asRaw, bytes));
        // Some junk between bodies: a range off by one reads it.
        long at = ch.size() + 3;
        ch.write(ByteBuffer.wrap(bytes), at);
        ch.write(
            ByteBuffer.wrap(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE}), at + bytes.length);
        where.put(key, new long[] {at, bytes.length});
      }
      UnixfsExporter exporter = new UnixfsExporter(store);
      String want =
          outcome(
              () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                exporter.cat(root, offset, length, out);
                return out.toByteArray();
              });
      String got =
          outcome(
              () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                exporter.catPieces(root, offset, length, files(ch, where), pieces(out));
                return out.toByteArray();
              });
      assertEquals(want, got);
      if (damage == 0) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.catPieces(root, offset, length, files(ch, where), pieces(out));
        int from = Math.min(offset, data.length);
        int to = (int) Math.min((long) offset + length, data.length);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, from, to), out.toByteArray());
      }
    } finally {
      Files.delete(file);
    }
  }

  /**
   * A dag-pb leaf re-encoded with one field changed the way a lying or sloppy encoder would: wrong
   * filesize, another type, blocksizes without links, a second Data field, an unknown field, a
   * padded length varint. Other blocks are returned unchanged.
   */
  private static byte[] leafEdit(byte[] block, Random r) {
    dev.tally.ipld.PbNode node;
    try {
      node = dev.tally.ipld.DagPb.decode(block);
    } catch (dev.tally.ipld.CodecException e) {
      return block; // a raw leaf
    }
    if (!node.links().isEmpty() || node.data().isEmpty()) {
      return block;
    }
    dev.tally.unixfs.pb.UnixfsProto.Data data;
    try {
      data = dev.tally.unixfs.pb.UnixfsProto.Data.parseFrom(node.data().get());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return block;
    }
    ByteArrayOutputStream unixfs = new ByteArrayOutputStream();
    int kind = r.nextInt(7);
    var b = data.toBuilder();
    switch (kind) {
      case 0 -> b.setFilesize(data.getData().size() + 1L);
      case 1 -> b.setType(dev.tally.unixfs.pb.UnixfsProto.Data.DataType.Directory);
      case 2 -> b.addBlocksizes(5);
      case 3 -> b.setType(dev.tally.unixfs.pb.UnixfsProto.Data.DataType.Raw).clearFilesize();
      default -> {}
    }
    unixfs.writeBytes(b.build().toByteArray());
    if (kind == 4) { // a second Data field: protobuf keeps the last
      byte[] again = data.getData().toByteArray();
      if (r.nextBoolean() && again.length > 0) {
        again[r.nextInt(again.length)] ^= 1;
      }
      unixfs.write(0x12);
      writeVarint(unixfs, again.length);
      unixfs.writeBytes(again);
    } else if (kind == 5) { // an unknown varint field 15
      unixfs.write(15 << 3);
      unixfs.write(1);
    }
    byte[] inner = unixfs.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x0a);
    if (kind == 6) { // a padded (non-minimal) length varint
      writeVarint(out, inner.length | (1L << 21));
      byte[] padded = out.toByteArray();
      out.reset();
      out.write(padded, 0, padded.length - 1);
      out.write(0);
    } else {
      writeVarint(out, inner.length);
    }
    out.writeBytes(inner);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private interface Export {
    byte[] run() throws IOException;
  }

  private static String outcome(Export e) throws IOException {
    try {
      return "bytes " + java.util.HexFormat.of().formatHex(e.run());
    } catch (UnixfsException ex) {
      return "refused: " + ex.getMessage();
    }
  }

  /** Bodies in one file, handed out as the storage does: a direct buffer of the checked bytes. */
  private static BlockFiles files(FileChannel ch, Map<Multihash, long[]> where) {
    return new BlockFiles() {
      @Override
      public Optional<StoredBody> body(Cid cid) {
        long[] w = where.get(cid.multihash());
        if (w == null) {
          return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.allocateDirect((int) w[1]);
        try {
          ch.read(bytes, w[0]);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        bytes.flip();
        return Optional.of(new StoredBody(cid, ch, w[0], (int) w[1], bytes.asReadOnlyBuffer()));
      }

      @Override
      public void close() {}
    };
  }

  private static FilePieces pieces(ByteArrayOutputStream out) {
    return new FilePieces() {
      @Override
      public void bytes(byte[] bytes, int offset, int length) {
        out.write(bytes, offset, length);
      }

      @Override
      public void file(FileChannel file, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
          if (file.read(b, position + b.position()) < 0) {
            throw new IOException("range past the end of the file");
          }
        }
        out.write(b.array(), 0, length);
      }
    };
  }
}
