package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixfsImporterTest {
  private static final byte[] HELLO = "hello world\n".getBytes(StandardCharsets.UTF_8);

  private static Cid add(ImportOptions options, byte[] data) throws IOException {
    return new UnixfsImporter(new MemoryBlockstore(), options)
        .importStream(new ByteArrayInputStream(data), "")
        .cid();
  }

  // Expected CIDs below are what Kubo (`ipfs add`) and ipfs-unixfs-importer print.
  @Test
  void helloWorldWithKuboDefaultsIsKubosCid() throws IOException {
    assertEquals(
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        add(ImportOptions.defaults(), HELLO).toString());
  }

  @Test
  void cidVersion1MakesSmallFilesRawLeaves() throws IOException {
    Cid cid = add(ImportOptions.builder().cidVersion(1).build(), HELLO);
    assertEquals("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", cid.toString());
  }

  @Test
  void emptyFileIsKubosEmptyFile() throws IOException {
    assertEquals(
        "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH",
        add(ImportOptions.defaults(), new byte[0]).toString());
    assertEquals(
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
        add(ImportOptions.builder().cidVersion(1).build(), new byte[0]).toString());
  }

  @Test
  void emptyDirectoryIsKubosEmptyDirectory(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Cid cid = UnixfsImporter.onlyHash(ImportOptions.defaults()).importPath(empty).cid();
    assertEquals("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn", cid.toString());
  }

  @Test
  void inlineGivesIdentityCidsAndStoresNothing() throws IOException {
    MemoryBlockstore store = new MemoryBlockstore();
    ImportOptions options = ImportOptions.builder().cidVersion(1).inline(32).build();
    Cid cid =
        new UnixfsImporter(store, options).importStream(new ByteArrayInputStream(HELLO), "").cid();
    assertEquals(Multicodec.IDENTITY, cid.multihash().code());
    assertEquals(Multicodec.RAW, cid.codec());
    assertArrayEquals(HELLO, cid.multihash().digest());
    assertEquals(0, store.size());
    Cid big =
        new UnixfsImporter(store, options)
            .importStream(new ByteArrayInputStream(new byte[33]), "")
            .cid();
    assertEquals(Multicodec.SHA2_256, big.multihash().code());
  }

  @Test
  void onlyHashGivesTheSameCidAndStoresNothing() throws IOException {
    MemoryBlockstore store = new MemoryBlockstore();
    ImportOptions options = ImportOptions.builder().onlyHash(true).chunker("size-4").build();
    Cid cid =
        new UnixfsImporter(store, options).importStream(new ByteArrayInputStream(HELLO), "").cid();
    assertEquals(0, store.size());
    ImportOptions storing = ImportOptions.builder().chunker("size-4").build();
    assertEquals(add(storing, HELLO), cid);
  }

  @Test
  void importStoresEveryBlockOfTheDag() throws IOException {
    MemoryBlockstore store = new MemoryBlockstore();
    ImportOptions options = ImportOptions.builder().chunker("size-4").maxLinks(2).build();
    new UnixfsImporter(store, options).importStream(new ByteArrayInputStream(HELLO), "");
    // 3 leaves; balanced with 2 links: 2 level-1 nodes and a root.
    assertEquals(6, store.size());
  }

  @Test
  void kuboFlagImplicationsApply() {
    assertTrue(ImportOptions.builder().cidVersion(1).build().rawLeaves());
    assertFalse(ImportOptions.builder().cidVersion(1).rawLeaves(false).build().rawLeaves());
    ImportOptions sha512 = ImportOptions.builder().hashFunction(Multicodec.SHA2_512).build();
    assertEquals(1, sha512.cidVersion());
    assertTrue(sha512.rawLeaves());
    assertThrows(
        UnixfsException.class,
        () -> ImportOptions.builder().cidVersion(0).hashFunction(Multicodec.SHA2_512).build());
    ImportOptions v1 = ImportOptions.builder(Profile.UNIXFS_V1_2025).build();
    assertEquals(1 << 20, v1.chunker().max());
    assertEquals(1024, v1.maxLinks());
    assertTrue(v1.rawLeaves());
    assertEquals(ShardSplitStrategy.BLOCK_BYTES, v1.shardSplitStrategy());
  }

  @Test
  void otherHashFunctionsNameBlocksWithThem() throws IOException {
    Cid cid = add(ImportOptions.builder().hashFunction(Multicodec.BLAKE2B_256).build(), HELLO);
    assertEquals(Multicodec.BLAKE2B_256, cid.multihash().code());
    assertEquals(1, cid.version());
  }

  @Test
  void wrapWithDirectoryNamesTheEntry(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("hello.txt"), HELLO);
    MemoryBlockstore store = new MemoryBlockstore();
    ImportedEntry root =
        new UnixfsImporter(store, ImportOptions.builder().wrapWithDirectory(true).build())
            .importPath(file);
    UnixfsExporter exporter = new UnixfsExporter(store);
    assertEquals(
        "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o",
        exporter.resolve(root.cid(), "hello.txt").toString());
  }

  @Test
  void hiddenFilesAreSkippedUnlessAsked(@TempDir Path dir) throws IOException {
    Path tree = Files.createDirectory(dir.resolve("t"));
    Files.write(tree.resolve(".secret"), HELLO);
    Files.write(tree.resolve("visible"), HELLO);
    MemoryBlockstore store = new MemoryBlockstore();
    UnixfsExporter exporter = new UnixfsExporter(store);
    Cid plain = new UnixfsImporter(store, ImportOptions.defaults()).importPath(tree).cid();
    Cid hidden =
        new UnixfsImporter(store, ImportOptions.builder().hidden(true).build())
            .importPath(tree)
            .cid();
    assertEquals(1, exporter.ls(plain).size());
    assertEquals(2, exporter.ls(hidden).size());
  }
}
