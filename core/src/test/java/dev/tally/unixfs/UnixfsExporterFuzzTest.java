package dev.tally.unixfs;

import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Corrupted or hostile blocks (stored under the CIDs the exporter expects, as a buggy or malicious
 * store would return them) fail with {@link UnixfsException}, never another exception.
 */
class UnixfsExporterFuzzTest {

  @Property(tries = 300)
  void corruptedBlocksFailWithUnixfsException(
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean directory)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    MemoryBlockstore clean = new MemoryBlockstore();
    Cid root = directory ? importTree(clean, random) : importFile(clean, random);
    List<Multihash> keys;
    try (var stream = clean.keys()) {
      keys = new ArrayList<>(stream.toList());
    }
    MemoryBlockstore store = new MemoryBlockstore();
    Multihash victim = keys.get(random.nextInt(keys.size()));
    for (Multihash key : keys) {
      Cid asRaw = Cid.v1(0x55, key);
      byte[] bytes = clean.get(asRaw).orElseThrow().bytes();
      if (key.equals(victim)) {
        bytes = mutate(bytes, random);
      }
      store.put(Block.ofOwned(asRaw, bytes));
    }
    UnixfsExporter exporter = new UnixfsExporter(store);
    expectOnlyUnixfsExceptions(() -> exporter.stat(root));
    expectOnlyUnixfsExceptions(() -> exporter.cat(root, OutputStream.nullOutputStream()));
    expectOnlyUnixfsExceptions(
        () -> exporter.cat(root, 1500, 3000, OutputStream.nullOutputStream()));
    expectOnlyUnixfsExceptions(() -> exporter.ls(root));
    expectOnlyUnixfsExceptions(() -> exporter.resolve(root, "d/f1"));
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void expectOnlyUnixfsExceptions(Action action) throws IOException {
    try {
      action.run();
    } catch (UnixfsException expected) {
      // the typed failure
    } catch (RuntimeException e) {
      fail("expected UnixfsException, got " + e, e);
    }
  }

  private static byte[] mutate(byte[] bytes, SplittableRandom random) {
    byte[] out;
    switch (random.nextInt(4)) {
      case 0 -> {
        out = bytes.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && out.length > 0; i++) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> out = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      case 2 -> {
        out = bytes.clone();
        if (out.length > 0) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
      }
      default -> {
        out = new byte[random.nextInt(64)];
        random.nextBytes(out);
      }
    }
    return out;
  }

  private static Cid importFile(MemoryBlockstore store, SplittableRandom random)
      throws IOException {
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

  private static Cid importTree(MemoryBlockstore store, SplittableRandom random)
      throws IOException {
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
