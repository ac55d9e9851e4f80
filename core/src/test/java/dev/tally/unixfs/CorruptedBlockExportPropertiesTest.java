package dev.tally.unixfs;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.randomBytes;
import static dev.tally.testing.Hostile.variant;

import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Corrupted or hostile blocks (stored under the CIDs the exporter expects, as a buggy or malicious
 * store would return them) make stat, cat, a ranged cat, ls and a path resolve fail only with
 * {@link UnixfsException} with a message, never another exception, allocating no more than the
 * hostile checker's bound. DAGs of valid blocks whose sizes lie are {@link
 * HostileDagPropertiesTest}'s part.
 */
class CorruptedBlockExportPropertiesTest {

  @Property(tries = 300, seed = "7021")
  void corruptedBlocksFailOnlyWithUnixfsException(@ForAll long seed, @ForAll boolean directory)
      throws IOException {
    Random random = new Random(seed);
    MemoryBlockstore clean = new MemoryBlockstore();
    Cid root = directory ? importTree(clean, random) : importFile(clean, random);
    List<Multihash> keys;
    try (var stream = clean.keys()) {
      keys = new ArrayList<>(stream.toList());
    }
    MemoryBlockstore store = new MemoryBlockstore();
    Multihash victim = keys.get(random.nextInt(keys.size()));
    byte[] corrupted = new byte[0];
    for (Multihash key : keys) {
      Cid asRaw = Cid.v1(0x55, key);
      byte[] bytes = clean.get(asRaw).orElseThrow().bytes();
      if (key.equals(victim)) {
        bytes = mutate(bytes, random);
        corrupted = bytes;
      }
      store.put(Block.ofOwned(asRaw, bytes));
    }
    UnixfsExporter exporter = new UnixfsExporter(store);
    check(UnixfsException.class, corrupted, b -> exporter.stat(root));
    check(
        UnixfsException.class, corrupted, b -> exporter.cat(root, OutputStream.nullOutputStream()));
    check(
        UnixfsException.class,
        corrupted,
        b -> exporter.cat(root, 1500, 3000, OutputStream.nullOutputStream()));
    check(UnixfsException.class, corrupted, b -> exporter.ls(root));
    check(UnixfsException.class, corrupted, b -> exporter.resolve(root, "d/f1"));
  }

  /** Random bytes (one in four), or one to four hostile edits of the block. */
  private static byte[] mutate(byte[] bytes, Random r) {
    if (r.nextInt(4) == 0) {
      return randomBytes(r, r.nextInt(64));
    }
    byte[] out = bytes;
    for (int edits = 1 + r.nextInt(4); edits > 0; edits--) {
      out = variant(out, r);
    }
    return out;
  }

  private static Cid importFile(MemoryBlockstore store, Random random) throws IOException {
    byte[] data = new byte[random.nextInt(6000)];
    random.nextBytes(data);
    ImportOptions options =
        ImportOptions.builder()
            .chunker("size-1000")
            .maxLinks(3)
            .rawLeaves(random.nextBoolean())
            .build();
    return new UnixfsImporter(store, options)
        .importStream(new ByteArrayInputStream(data), "")
        .cid();
  }

  private static Cid importTree(MemoryBlockstore store, Random random) throws IOException {
    Path dir = Files.createTempDirectory("unixfs-fuzz");
    try {
      Files.createDirectories(dir.resolve("d"));
      for (int i = 0; i < 40; i++) {
        byte[] data = new byte[random.nextInt(100)];
        random.nextBytes(data);
        Files.write(dir.resolve(i % 2 == 0 ? "d" : ".").resolve("f" + i), data);
      }
      ImportOptions options = ImportOptions.builder().shardSplitThresholdBytes(300).build();
      return new UnixfsImporter(store, options).importPath(dir).cid();
    } finally {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
