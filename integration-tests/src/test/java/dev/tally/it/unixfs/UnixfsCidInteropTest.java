package dev.tally.it.unixfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.it.NodeScripts;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tally's UnixFS root CIDs equal ipfs-unixfs-importer's (the importer Helia uses, which follows
 * Kubo's layouts) for the same inputs and options. All reference imports run in one Node process.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnixfsCidInteropTest {
  private static final long SEED = 0x7a11_2026L;

  @TempDir static Path temp;

  private final List<Case> cases = new ArrayList<>();
  private Map<String, Object> reference;

  /** One input imported with one configuration, by Tally and by the reference. */
  private record Case(String id, Path input, ImportOptions tally, JsonObject js) {}

  /** A configuration in both vocabularies. */
  private record Config(String name, ImportOptions tally, JsonObject js) {}

  @BeforeAll
  void importWithReference() throws Exception {
    List<Path> inputs = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(SEED);
    for (int size : new int[] {0, 1, 262143, 262144, 262145, 1048577, 10 << 20}) {
      inputs.add(randomFile(temp.resolve("file-" + size), size, random));
    }
    inputs.add(tree(temp.resolve("tree"), random));
    inputs.add(wideDirectory(temp.resolve("wide"), 10_000, random));

    List<Config> configs =
        List.of(
            new Config(
                "kubo-default",
                ImportOptions.defaults(),
                new JsonObject().put("profile", "unixfs-v0-2015")),
            new Config(
                "cid-version-1",
                ImportOptions.builder().cidVersion(1).build(),
                new JsonObject().put("cidVersion", 1)),
            new Config(
                "unixfs-v1-2025",
                ImportOptions.builder(Profile.UNIXFS_V1_2025).build(),
                new JsonObject().put("profile", "unixfs-v1-2025")),
            new Config(
                "trickle",
                ImportOptions.builder().trickle(true).build(),
                new JsonObject()
                    .put("profile", "unixfs-v0-2015")
                    .put("layout", "trickle")
                    .put("maxChildrenPerNode", 174)));
    for (Config config : configs) {
      for (Path input : inputs) {
        cases.add(
            new Case(
                config.name() + "/" + input.getFileName(), input, config.tally(), config.js()));
      }
    }
    // Deep trees: 10 MiB in 1 KiB chunks gives 10,240 leaves, several levels in both layouts.
    Path tenMiB = temp.resolve("file-" + (10 << 20));
    cases.add(
        new Case(
            "balanced-1k-11-links",
            tenMiB,
            ImportOptions.builder().chunker("size-1024").maxLinks(11).build(),
            new JsonObject()
                .put("profile", "unixfs-v0-2015")
                .put("chunkSize", 1024)
                .put("maxChildrenPerNode", 11)));
    // 1025 leaves = 32^2 + 1: a full level 1 when the last leaf closes its group.
    cases.add(
        new Case(
            "balanced-1k-32-links-full-level",
            temp.resolve("file-1048577"),
            ImportOptions.builder().cidVersion(1).chunker("size-1024").maxLinks(32).build(),
            new JsonObject()
                .put("cidVersion", 1)
                .put("chunkSize", 1024)
                .put("maxChildrenPerNode", 32)));
    cases.add(
        new Case(
            "trickle-1k-v1",
            tenMiB,
            ImportOptions.builder().cidVersion(1).chunker("size-1024").trickle(true).build(),
            new JsonObject()
                .put("cidVersion", 1)
                .put("chunkSize", 1024)
                .put("layout", "trickle")
                .put("maxChildrenPerNode", 174)));
    cases.add(
        new Case(
            "trickle-1k-v0-dag-pb-leaves",
            tenMiB,
            ImportOptions.builder().chunker("size-1024").trickle(true).build(),
            new JsonObject()
                .put("profile", "unixfs-v0-2015")
                .put("chunkSize", 1024)
                .put("layout", "trickle")
                .put("maxChildrenPerNode", 174)));
    // A sharded directory whose entries include subdirectories (flushed inside the shards).
    Path mixed = shardedWithSubdirectories(temp.resolve("mixed"), random);
    cases.add(
        new Case(
            "kubo-default/sharded-with-subdirectories",
            mixed,
            ImportOptions.defaults(),
            new JsonObject().put("profile", "unixfs-v0-2015")));
    cases.add(
        new Case(
            "unixfs-v1-2025/sharded-with-subdirectories",
            mixed,
            ImportOptions.builder(Profile.UNIXFS_V1_2025).build(),
            new JsonObject().put("profile", "unixfs-v1-2025")));
    cases.add(
        new Case(
            "wrap-with-directory",
            temp.resolve("file-1"),
            ImportOptions.builder().cidVersion(1).wrapWithDirectory(true).build(),
            new JsonObject().put("cidVersion", 1).put("wrapWithDirectory", true)));
    reference = runReference();
  }

  @TestFactory
  List<DynamicTest> rootCidEqualsIpfsUnixfsImporter() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases) {
      tests.add(
          DynamicTest.dynamicTest(
              c.id(),
              () -> {
                String tally =
                    UnixfsImporter.onlyHash(c.tally()).importPath(c.input()).cid().toString();
                assertEquals(reference.get(c.id()), tally, c.id());
              }));
    }
    return tests;
  }

  private Map<String, Object> runReference() throws IOException, InterruptedException {
    JsonArray jobs = new JsonArray();
    for (Case c : cases) {
      jobs.add(
          new JsonObject()
              .put("id", c.id())
              .put("path", c.input().toAbsolutePath().toString())
              .put("options", c.js()));
    }
    return NodeScripts.referenceCids(jobs, temp);
  }

  private static Path randomFile(Path path, int size, SplittableRandom random) throws IOException {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return Files.write(path, data);
  }

  /** 1,000 files of mixed sizes in two levels of directories, plus an empty directory. */
  private static Path tree(Path root, SplittableRandom random) throws IOException {
    Files.createDirectories(root.resolve("empty"));
    for (int i = 0; i < 1000; i++) {
      Path dir = root.resolve("d" + (i % 10)).resolve("s" + (i % 7));
      Files.createDirectories(dir);
      int size = i % 100 == 0 ? 300_000 + random.nextInt(100_000) : random.nextInt(4096);
      randomFile(dir.resolve("f" + i + ".bin"), size, random);
    }
    return root;
  }

  /** 6,000 files and 100 subdirectories of 3 files each, far over the sharding threshold. */
  private static Path shardedWithSubdirectories(Path dir, SplittableRandom random)
      throws IOException {
    wideDirectory(dir, 6000, random);
    for (int i = 0; i < 100; i++) {
      Path sub = Files.createDirectories(dir.resolve("sub-" + i));
      for (int j = 0; j < 3; j++) {
        randomFile(sub.resolve("f" + j), random.nextInt(2000), random);
      }
    }
    return dir;
  }

  private static Path wideDirectory(Path dir, int entries, SplittableRandom random)
      throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < entries; i++) {
      randomFile(dir.resolve(String.format("entry-%05d", i)), random.nextInt(64), random);
    }
    return dir;
  }
}
