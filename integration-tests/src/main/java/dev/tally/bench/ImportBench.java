package dev.tally.bench;

import dev.tally.blockstore.Blockstore;
import dev.tally.blockstore.MemoryBlockstore;
import dev.tally.storage.blocks.PackBlockstore;
import dev.tally.storage.blocks.PackOptions;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * End-to-end import benchmark: one seeded random file, imported by Tally into memory and into the
 * repo's pack-file store and by ipfs-unixfs-importer on Node, each best of N, next to single-thread
 * SHA-256 of the same bytes (the floor: an import hashes every byte once). Prints the figures, the
 * ratios issue 3 sets goals for, and the root CIDs of both implementations, which must match.
 *
 * <p>{@code java -cp integration-tests/target/benchmarks.jar dev.tally.bench.ImportBench
 * [--size-mib 256] [--runs 3] [--seed 2026] [--it-dir integration-tests] [--work DIR] [--no-node]}
 */
public final class ImportBench {
  private static final List<Profile> PROFILES =
      List.of(Profile.UNIXFS_V0_2015, Profile.UNIXFS_V1_2025);
  private static final int HASH_SLICE = 1 << 20;
  private static final int KUBO_CHUNK = 256 * 1024;

  private ImportBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    Path work = a.work().orElse(null);
    boolean ownWork = work == null;
    if (ownWork) {
      work = Files.createTempDirectory("tally-import-bench");
    }
    int status;
    try {
      status = run(a, work);
    } finally {
      if (ownWork) {
        deleteTree(work);
      }
    }
    System.exit(status);
  }

  private static int run(BenchArgs a, Path work) throws Exception {
    long bytes = (long) a.sizeMib() << 20;
    Path file = work.resolve("random-" + a.sizeMib() + "MiB-seed" + a.seed() + ".bin");
    System.err.printf("generating %s (%d bytes, seed %d)%n", file, bytes, a.seed());
    generate(file, bytes, a.seed());

    ImportReport report = new ImportReport(bytes, a);
    System.err.println("measuring single-thread SHA-256 (the anchor)");
    report.anchor(sha256InMemory(file, a.runs()));
    report.diagnostic("read file + SHA-256 per 256 KiB chunk", readAndHash(file, a.runs()));
    for (Profile p : PROFILES) {
      ImportOptions options = ImportOptions.builder(p).build();
      System.err.println("importing with Tally, " + p);
      report.tallyMemory(p, importInto(file, options, a.runs(), new MemoryStore()));
      report.tallyDisk(p, importInto(file, options, a.runs(), new DiskStores(work)));
      report.diagnostic(
          "Tally import, " + p + ", only-hash (no store)",
          Timing.bestOf(
              a.runs(),
              "only-hash import",
              new Timing.Task<UnixfsImporter, String>() {
                @Override
                public UnixfsImporter prepare() {
                  return UnixfsImporter.onlyHash(options);
                }

                @Override
                public String run(UnixfsImporter importer) throws IOException {
                  return importer.importPath(file).cid().toString();
                }
              }));
    }
    if (a.node()) {
      System.err.println("importing with ipfs-unixfs-importer on Node");
      List<String> names = PROFILES.stream().map(Profile::profileName).toList();
      for (NodeImport.Result r :
          NodeImport.run(a.nodeBinary(), a.nodeScript(), file, a.runs(), names)) {
        report.node(r);
      }
    }
    return report.print(System.out) ? 0 : 1;
  }

  /** Opens a fresh blockstore for each run and disposes of it afterwards. */
  interface StoreFactory {
    Blockstore open() throws IOException;

    default void dispose() throws IOException {}
  }

  private static final class MemoryStore implements StoreFactory {
    @Override
    public Blockstore open() {
      return new MemoryBlockstore();
    }
  }

  private static final class DiskStores implements StoreFactory {
    private final Path dir;

    DiskStores(Path work) {
      this.dir = work.resolve("repo-store");
    }

    @Override
    public Blockstore open() throws IOException {
      Files.createDirectories(dir);
      return PackBlockstore.open(dir, PackOptions.defaults());
    }

    @Override
    public void dispose() throws IOException {
      deleteTree(dir);
    }
  }

  /** Times import plus close, so a store that writes behind is charged for its writes. */
  private static Timing.Best<String> importInto(
      Path file, ImportOptions options, int runs, StoreFactory stores) throws Exception {
    return Timing.bestOf(
        runs,
        "import",
        new Timing.Task<Blockstore, String>() {
          @Override
          public Blockstore prepare() throws IOException {
            stores.dispose();
            return stores.open();
          }

          @Override
          public String run(Blockstore store) throws IOException {
            try (store) {
              return new UnixfsImporter(store, options).importPath(file).cid().toString();
            }
          }

          @Override
          public void cleanUp(Blockstore store) throws IOException {
            stores.dispose();
          }
        });
  }

  private static Timing.Best<String> sha256InMemory(Path file, int runs) throws Exception {
    byte[] data = Files.readAllBytes(file);
    return Timing.bestOf(
        runs,
        "SHA-256",
        new Timing.Task<MessageDigest, String>() {
          @Override
          public MessageDigest prepare() throws Exception {
            return MessageDigest.getInstance("SHA-256");
          }

          @Override
          public String run(MessageDigest md) {
            for (int off = 0; off < data.length; off += HASH_SLICE) {
              md.update(data, off, Math.min(HASH_SLICE, data.length - off));
            }
            return HexFormat.of().formatHex(md.digest());
          }
        });
  }

  /** The work an import cannot avoid: read every chunk into its own array and hash it. */
  private static Timing.Best<String> readAndHash(Path file, int runs) throws Exception {
    return Timing.bestOf(
        runs,
        "read and hash",
        new Timing.Task<MessageDigest, String>() {
          @Override
          public MessageDigest prepare() throws Exception {
            return MessageDigest.getInstance("SHA-256");
          }

          @Override
          public String run(MessageDigest md) throws IOException {
            byte[] last = new byte[0];
            try (InputStream in = Files.newInputStream(file)) {
              while (true) {
                byte[] chunk = new byte[KUBO_CHUNK];
                int n = in.readNBytes(chunk, 0, KUBO_CHUNK);
                if (n == 0) {
                  break;
                }
                md.update(chunk, 0, n);
                last = md.digest();
              }
            }
            return HexFormat.of().formatHex(last);
          }
        });
  }

  private static void generate(Path file, long bytes, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= buf.length) {
        int n = (int) Math.min(buf.length, left);
        BenchData.fill(buf, 0, n, random);
        out.write(buf, 0, n);
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
