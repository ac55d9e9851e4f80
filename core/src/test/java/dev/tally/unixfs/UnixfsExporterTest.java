package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixfsExporterTest {

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static byte[] cat(UnixfsExporter exporter, Cid cid, long offset, long length)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    exporter.cat(cid, offset, length, out);
    return out.toByteArray();
  }

  /**
   * {@link UnixfsExporter#catOwned}, checking that no array is handed over twice (a receiver keeps
   * each one, so the exporter must never reuse it).
   */
  private static byte[] catOwned(UnixfsExporter exporter, Cid cid, long offset, long length)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.util.Set<byte[]> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    long n =
        exporter.catOwned(
            cid,
            offset,
            length,
            (bytes, off, len) -> {
              assertTrue(seen.add(bytes), "an array was handed over twice");
              assertTrue(len > 0, "empty pieces are not handed over");
              out.write(bytes, off, len);
            });
    assertEquals(out.size(), n);
    return out.toByteArray();
  }

  /** Small chunks and few links make deep trees out of small inputs. */
  private static ImportOptions deepTrees(boolean raw, boolean trickle) {
    return ImportOptions.builder()
        .chunker("size-1000")
        .maxLinks(3)
        .rawLeaves(raw)
        .trickle(trickle)
        .build();
  }

  @Property(tries = 60)
  void catReturnsWhatWasImportedAcrossChunkBoundaries(
      @ForAll @IntRange(min = 0, max = 40_000) int size,
      @ForAll boolean raw,
      @ForAll boolean trickle,
      @ForAll @IntRange(min = 0, max = 41_000) int offset,
      @ForAll @IntRange(min = 0, max = 41_000) int length)
      throws IOException {
    byte[] data = random(size, size);
    MemoryBlockstore store = new MemoryBlockstore();
    Cid cid =
        new UnixfsImporter(store, deepTrees(raw, trickle))
            .importStream(new ByteArrayInputStream(data), "")
            .cid();
    UnixfsExporter exporter = new UnixfsExporter(store);
    assertArrayEquals(data, cat(exporter, cid, 0, Long.MAX_VALUE));
    int from = Math.min(offset, size);
    int to = (int) Math.min((long) offset + length, size);
    assertArrayEquals(
        Arrays.copyOfRange(data, from, Math.max(from, to)), cat(exporter, cid, offset, length));
    assertArrayEquals(
        Arrays.copyOfRange(data, from, Math.max(from, to)),
        catOwned(exporter, cid, offset, length));
    assertEquals(size, exporter.stat(cid).size());
    assertEquals(EntryType.FILE, exporter.stat(cid).type());
  }

  @Test
  void catLoadsOnlyTheBlocksCoveringTheRange() throws IOException {
    byte[] data = random(100_000, 3);
    CountingStore store = new CountingStore();
    Cid cid =
        new UnixfsImporter(store, deepTrees(true, false))
            .importStream(new ByteArrayInputStream(data), "")
            .cid();
    UnixfsExporter exporter = new UnixfsExporter(store);
    store.gets = 0;
    assertArrayEquals(Arrays.copyOfRange(data, 54_321, 54_331), cat(exporter, cid, 54_321, 10));
    // 100 leaves under 3-link nodes: depth 5, so one path is 6 blocks (root .. leaf).
    assertEquals(6, store.gets);
  }

  @Test
  void shardedDirectoryListsResolvesAndExports(@TempDir Path dir) throws IOException {
    Path wide = Files.createDirectory(dir.resolve("wide"));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String name = "entry-" + i;
      names.add(name);
      Files.write(wide.resolve(name), random(i % 50, i));
    }
    MemoryBlockstore store = new MemoryBlockstore();
    ImportOptions options = ImportOptions.builder().shardSplitThresholdBytes(1000).build();
    Cid root = new UnixfsImporter(store, options).importPath(wide).cid();
    UnixfsExporter exporter = new UnixfsExporter(store);
    assertTrue(exporter.load(root).isHamt(), "600 entries over a 1000-byte threshold must shard");
    List<UnixfsEntry> entries = exporter.ls(root);
    names.sort(null);
    assertEquals(names, entries.stream().map(UnixfsEntry::name).toList());
    for (UnixfsEntry e : entries) {
      assertEquals(e.cid(), exporter.resolve(root, e.name()));
      assertEquals(Files.size(wide.resolve(e.name())), e.size());
    }
    assertThrows(UnixfsException.class, () -> exporter.resolve(root, "missing"));
    Path out = dir.resolve("out");
    exporter.get(root, out);
    for (String name : names) {
      assertArrayEquals(
          Files.readAllBytes(wide.resolve(name)), Files.readAllBytes(out.resolve(name)));
    }
  }

  @Test
  void flatDirectoryStaysFlatBelowTheThreshold(@TempDir Path dir) throws IOException {
    Path small = Files.createDirectory(dir.resolve("small"));
    Files.write(small.resolve("a"), random(10, 1));
    MemoryBlockstore store = new MemoryBlockstore();
    Cid root = new UnixfsImporter(store, ImportOptions.defaults()).importPath(small).cid();
    assertTrue(!new UnixfsExporter(store).load(root).isHamt());
  }

  @Test
  void getRestoresTreeSymlinksModesAndMtimes(@TempDir Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/sub"));
    Path tree = dir.resolve("src");
    Files.write(tree.resolve("big.bin"), random(3500, 9));
    Files.write(src.resolve("small.txt"), random(10, 10));
    Files.createSymbolicLink(tree.resolve("link"), Path.of("sub/small.txt"));
    Files.setPosixFilePermissions(
        tree.resolve("big.bin"), PosixFilePermissions.fromString("rwxr-x---"));
    Instant mtime = Instant.ofEpochSecond(1_600_000_000L, 123_000_000L);
    Files.setLastModifiedTime(src.resolve("small.txt"), FileTime.from(mtime));
    MemoryBlockstore store = new MemoryBlockstore();
    ImportOptions options =
        ImportOptions.builder().chunker("size-1000").preserveMode(true).preserveMtime(true).build();
    Cid root = new UnixfsImporter(store, options).importPath(tree).cid();

    Path out = dir.resolve("out");
    new UnixfsExporter(store).get(root, out);
    assertArrayEquals(
        Files.readAllBytes(tree.resolve("big.bin")), Files.readAllBytes(out.resolve("big.bin")));
    assertArrayEquals(
        Files.readAllBytes(src.resolve("small.txt")),
        Files.readAllBytes(out.resolve("sub/small.txt")));
    assertEquals(Path.of("sub/small.txt"), Files.readSymbolicLink(out.resolve("link")));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("big.bin"))));
    assertEquals(mtime, Files.getLastModifiedTime(out.resolve("sub/small.txt")).toInstant());
  }

  @Test
  void lsReportsTypesAndSizes(@TempDir Path dir) throws IOException {
    Path tree = Files.createDirectories(dir.resolve("t/d"));
    Files.write(dir.resolve("t/f"), random(1234, 1));
    Files.createSymbolicLink(dir.resolve("t/l"), Path.of("f"));
    MemoryBlockstore store = new MemoryBlockstore();
    Cid root =
        new UnixfsImporter(store, ImportOptions.defaults()).importPath(tree.getParent()).cid();
    List<UnixfsEntry> entries = new UnixfsExporter(store).ls(root);
    assertEquals(List.of("d", "f", "l"), entries.stream().map(UnixfsEntry::name).toList());
    assertEquals(
        List.of(EntryType.DIRECTORY, EntryType.FILE, EntryType.SYMLINK),
        entries.stream().map(UnixfsEntry::type).toList());
    assertEquals(1234, entries.get(1).size());
  }

  @Test
  void readsThroughInlinedIdentityCids(@TempDir Path dir) throws IOException {
    Path tree = Files.createDirectories(dir.resolve("t"));
    Files.write(tree.resolve("tiny"), random(5, 1));
    Files.write(tree.resolve("big"), random(2500, 2));
    MemoryBlockstore store = new MemoryBlockstore();
    ImportOptions options =
        ImportOptions.builder().cidVersion(1).inline(32).chunker("size-1000").build();
    Cid root = new UnixfsImporter(store, options).importPath(tree).cid();
    UnixfsExporter exporter = new UnixfsExporter(store);
    Cid tiny = exporter.resolve(root, "tiny");
    assertEquals(dev.tally.multiformats.Multicodec.IDENTITY, tiny.multihash().code());
    assertArrayEquals(Files.readAllBytes(tree.resolve("tiny")), cat(exporter, tiny, 0, 100));
    assertArrayEquals(
        Files.readAllBytes(tree.resolve("big")),
        cat(exporter, exporter.resolve(root, "big"), 0, Long.MAX_VALUE));
  }

  @Test
  void missingBlockIsATypedError() {
    Cid absent = Cid.v0(Multihash.sha256(new byte[] {1}));
    UnixfsExporter exporter = new UnixfsExporter(new MemoryBlockstore());
    UnixfsException e = assertThrows(UnixfsException.class, () -> exporter.stat(absent));
    assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
  }

  /** A memory store that counts reads. */
  private static final class CountingStore implements Blockstore {
    private final MemoryBlockstore inner = new MemoryBlockstore();
    int gets;

    @Override
    public boolean has(Cid cid) {
      return inner.has(cid);
    }

    @Override
    public Optional<Block> get(Cid cid) {
      gets++;
      return inner.get(cid);
    }

    @Override
    public void put(Block block) {
      inner.put(block);
    }

    @Override
    public void putAll(Collection<Block> blocks) {
      inner.putAll(blocks);
    }

    @Override
    public boolean delete(Cid cid) {
      return inner.delete(cid);
    }

    @Override
    public long size() {
      return inner.size();
    }

    @Override
    public long totalBytes() {
      return inner.totalBytes();
    }

    @Override
    public Stream<Multihash> keys() {
      return inner.keys();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
