package dev.tally.cli;

import dev.tally.multiformats.Multicodec;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.repo.Repo;
import dev.tally.unixfs.ImportOptions;
import dev.tally.unixfs.ImportedEntry;
import dev.tally.unixfs.Profile;
import dev.tally.unixfs.UnixfsImporter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally add}: imports files, directories ({@code -r}) or stdin as UnixFS and prints {@code
 * added <cid> <name>} per entry, as {@code ipfs add} does, and pins each root recursively unless
 * {@code --pin=false}. Defaults come from the repo's import profile; every Kubo flag overrides
 * them.
 */
@Command(
    name = "add",
    description = "Add a file or directory to Tally (UnixFS, Kubo-compatible CIDs).")
final class AddCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Files or directories (stdin if none or '-').")
  List<String> paths = List.of();

  @Option(
      names = {"-r", "--recursive"},
      description = "Add directory paths recursively.")
  boolean recursive;

  @Option(
      names = {"-q", "--quiet"},
      description = "Write minimal output (CIDs only).")
  boolean quiet;

  @Option(
      names = {"-Q", "--quieter"},
      description = "Write only the final CID.")
  boolean quieter;

  @Option(names = "--silent", description = "Write no output.")
  boolean silent;

  @Option(
      names = {"-p", "--progress"},
      negatable = true,
      description = "Stream progress data (default: on a terminal).")
  Boolean progress;

  @Option(
      names = {"-n", "--only-hash"},
      description = "Only chunk and hash; do not write to disk.")
  boolean onlyHash;

  @Option(
      names = {"-w", "--wrap-with-directory"},
      description = "Wrap files with a directory object.")
  boolean wrap;

  @Option(
      names = {"-H", "--hidden"},
      description = "Include files that are hidden.")
  boolean hidden;

  @Option(
      names = {"-s", "--chunker"},
      paramLabel = "SPEC",
      description = "size-N or rabin-MIN-AVG-MAX.")
  String chunker;

  @Option(names = "--raw-leaves", negatable = true, description = "Use raw blocks for leaf nodes.")
  Boolean rawLeaves;

  @Option(
      names = "--cid-version",
      paramLabel = "N",
      description = "CID version (0 or 1; 1 implies --raw-leaves).")
  Integer cidVersion;

  @Option(names = "--hash", paramLabel = "HASH", description = "Hash function (default sha2-256).")
  String hash;

  @Option(
      names = {"-t", "--trickle"},
      description = "Use trickle-dag format for DAG generation.")
  boolean trickle;

  @Option(names = "--inline", description = "Inline small blocks into identity CIDs.")
  boolean inline;

  @Option(
      names = "--inline-limit",
      paramLabel = "N",
      description = "Maximum block size to inline (default 32).")
  int inlineLimit = ImportOptions.DEFAULT_INLINE_LIMIT;

  @Option(names = "--preserve-mode", description = "Record file permissions in the DAG.")
  boolean preserveMode;

  @Option(names = "--preserve-mtime", description = "Record modification times in the DAG.")
  boolean preserveMtime;

  @Option(
      names = "--pin",
      arity = "0..1",
      fallbackValue = "true",
      description = "Pin the added content recursively (default true; --pin=false to skip).")
  boolean pin = true;

  @Option(names = "--pin-name", paramLabel = "NAME", description = "Name of the pin.")
  String pinName = "";

  @Option(
      names = "--profile",
      paramLabel = "PROFILE",
      description = "unixfs-v0-2015 (Kubo) or unixfs-v1-2025 (Helia); default from config.")
  String profile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<String> sources = paths.isEmpty() ? List.of("-") : paths;
    if (wrap && sources.size() > 1) {
      throw new IllegalArgumentException(
          "--wrap-with-directory takes one path; put the files in one directory and add it with -r");
    }
    for (String source : sources) {
      if (!"-".equals(source) && Files.isDirectory(Path.of(source)) && !recursive) {
        throw new IllegalArgumentException(
            source + " is a directory, use the '-r' flag to specify directories");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!onlyHash) {
      var daemon = ApiClient.find(repo.path());
      if (daemon.isPresent()) {
        addThrough(daemon.get(), sources, out);
        out.flush();
        return 0;
      }
    }
    if (onlyHash) {
      ImportOptions options = options(Profile.byName(profileOrDefault(null)).orElseThrow());
      run(UnixfsImporter.onlyHash(options), sources, out);
      return 0;
    }
    try (Repo r = repo.openOrInit();
        BlockLeases.Lease lease = r.leases().open()) {
      // The lease keeps every block of this add from a concurrent GC until its pin is written.
      ImportOptions options = options(profileOf(r));
      List<ImportedEntry> roots =
          run(new UnixfsImporter(lease.guard(r.blocks()), options), sources, out);
      if (pin) {
        for (ImportedEntry root : roots) {
          r.pins().pinImported(root.cid(), pinName);
        }
      }
    }
    return 0;
  }

  private List<ImportedEntry> run(UnixfsImporter importer, List<String> sources, PrintWriter out)
      throws IOException {
    Progress bar = Progress.start(showProgress(), spec.commandLine().getErr(), totalBytes(sources));
    List<ImportedEntry> last = new ArrayList<>(1);
    try {
      for (String source : sources) {
        ImportedEntry root;
        if ("-".equals(source)) {
          try (InputStream in =
              bar.counting(
                  new BufferedInputStream(new NonClosingInput(Io.current().in), 1 << 20))) {
            root = importer.importStream(in, "");
          }
          // Kubo names stdin input by its CID.
          root = new ImportedEntry(root.cid().toString(), root.cid(), root.size());
          report(out, root);
        } else {
          Path path = Path.of(source).toAbsolutePath().normalize();
          Path base = path.getParent() != null ? path.getParent() : path;
          root =
              importer.importPath(
                  path,
                  entry -> {
                    Path file = base.resolve(entry.path());
                    if (Files.isRegularFile(file)) {
                      bar.advance(sizeOf(file));
                    }
                    report(out, entry);
                  });
        }
        last.add(0, root);
      }
    } finally {
      bar.finish();
    }
    if (quieter && !silent && !last.isEmpty()) {
      out.println(last.get(0).cid());
    }
    out.flush();
    return last;
  }

  /**
   * The sources (files, directory trees, stdin) added by the running daemon in one multipart upload
   * as Kubo's CLI sends it, its answer printed as an offline add would.
   */
  private void addThrough(ApiClient daemon, List<String> sources, PrintWriter out)
      throws IOException {
    Params params =
        Params.of()
            .add("pin", pin)
            .add("pin-name", pinName, !pinName.isEmpty())
            .add("wrap-with-directory", true, wrap)
            .add("preserve-mode", true, preserveMode)
            .add("preserve-mtime", true, preserveMtime)
            .add("trickle", true, trickle)
            .add("inline", true, inline)
            .add("inline-limit", inlineLimit, inline)
            .addSet("chunker", chunker)
            .addSet("hash", hash)
            .addSet("profile", profile)
            .addSet("raw-leaves", rawLeaves)
            .addSet("cid-version", cidVersion);
    List<ApiClient.Part> parts = new ArrayList<>();
    for (String source : sources) {
      if ("-".equals(source)) {
        // Captured here: the HTTP client opens parts on its own threads, where Io is not set.
        InputStream stdin = new NonClosingInput(Io.current().in);
        parts.add(new ApiClient.Part("", () -> stdin));
      } else {
        parts.addAll(TreeParts.of(Path.of(source), hidden, preserveMode || preserveMtime));
      }
    }
    // The bar counts the bytes sent to the daemon, which imports them as they arrive.
    Progress bar = Progress.start(showProgress(), spec.commandLine().getErr(), totalBytes(sources));
    List<ApiClient.Part> counted = new ArrayList<>(parts.size());
    for (ApiClient.Part part : parts) {
      counted.add(
          new ApiClient.Part(
              part.name(),
              part.contentType(),
              () -> bar.counting(part.content().call()),
              part.metadata()));
    }
    ImportedEntry[] last = new ImportedEntry[1];
    try {
      ApiClient.lines(
          daemon.upload("add", params, counted),
          json -> {
            if (!json.containsKey("Hash")) {
              return; // a progress line
            }
            dev.tally.multiformats.Cid cid =
                dev.tally.multiformats.Cid.parse(json.getString("Hash"));
            String path = json.getString("Name", "");
            // Kubo names stdin input by its CID.
            last[0] = new ImportedEntry(path.isEmpty() ? cid.toString() : path, cid, 0);
            bar.finish(); // the upload is done; the bar's line ends before the answer's lines
            report(out, last[0]);
          });
    } finally {
      bar.finish();
    }
    if (last[0] == null) {
      throw new IllegalStateException("the daemon's add answered without a CID");
    }
    if (quieter && !silent) {
      out.println(last[0].cid());
    }
  }

  private void report(PrintWriter out, ImportedEntry entry) {
    if (silent || quieter) {
      return;
    }
    if (quiet) {
      out.println(entry.cid());
    } else {
      out.println("added " + entry.cid() + " " + entry.path());
    }
  }

  private boolean showProgress() {
    if (silent || quiet || quieter) {
      return Boolean.TRUE.equals(progress);
    }
    return Progress.enabled(progress, false, Progress.terminal());
  }

  private static long totalBytes(List<String> sources) {
    long total = 0;
    for (String s : sources) {
      if (!"-".equals(s)) {
        Path p = Path.of(s);
        try (var walk = Files.walk(p)) {
          total += walk.filter(Files::isRegularFile).mapToLong(AddCommand::sizeOf).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return total;
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private Profile profileOf(Repo r) {
    String name = profileOrDefault(r.config().importProfile());
    return Profile.byName(name).orElseThrow();
  }

  private String profileOrDefault(String repoDefault) {
    String name = profile != null ? profile : repoDefault;
    if (name == null) {
      name = dev.tally.storage.repo.RepoConfig.DEFAULT_PROFILE;
    }
    if (Profile.byName(name).isEmpty()) {
      throw new IllegalArgumentException(
          "unknown profile '" + name + "' (known: unixfs-v0-2015, unixfs-v1-2025)");
    }
    return name;
  }

  private ImportOptions options(Profile base) {
    ImportOptions.Builder b = ImportOptions.builder(base);
    if (cidVersion != null) {
      b.cidVersion(cidVersion);
    }
    if (rawLeaves != null) {
      b.rawLeaves(rawLeaves);
    }
    if (chunker != null) {
      b.chunker(chunker);
    }
    if (hash != null) {
      b.hashFunction(Multicodec.require(hash).code());
    }
    b.trickle(trickle);
    if (inline) {
      b.inline(inlineLimit);
    }
    return b.wrapWithDirectory(wrap)
        .onlyHash(onlyHash)
        .hidden(hidden)
        .preserveMode(preserveMode)
        .preserveMtime(preserveMtime)
        .build();
  }
}
