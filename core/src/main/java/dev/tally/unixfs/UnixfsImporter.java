package dev.tally.unixfs;

import dev.tally.blockstore.Blockstore;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Imports byte streams and directory trees into a blockstore as UnixFS DAGs whose CIDs match Kubo's
 * and ipfs-unixfs-importer's for the same {@link ImportOptions}. Files are streamed: memory holds a
 * few chunks of data (leaves are hashed on a small pool while the next chunks are read) plus up to
 * maxLinks CIDs per tree level, and blocks are committed in batches of a few MiB. Blocking: call
 * from a worker thread; one import at a time per instance.
 */
public final class UnixfsImporter {
  // 16 MiB: a pack store fsyncs once per batch, and 16 MiB batches run at ~80 % of a plain file
  // synced as often (ADR 005); two batches are held at most. On a small heap (a daemon run with
  // -Xmx64m) two such batches beside the upload's buffers and H2's cache ran out of memory, so a
  // batch never takes more than 1/16 of the heap (4 MiB at 64 MiB), at 1 MiB at least.
  private static final int BATCH_BYTES =
      (int) Math.max(1 << 20, Math.min(16 << 20, Runtime.getRuntime().maxMemory() / 16));

  private final ImportOptions options;
  private final BlockSink sink;
  private final CidMaker cids;
  private final FileBuilder files;
  private final DirectoryBuilder dirs;

  /** An importer that stores into {@code store}, or only hashes if the options say so. */
  public UnixfsImporter(Blockstore store, ImportOptions options) {
    this(
        options.onlyHash() ? BlockSink.discard() : BlockSink.batching(store, BATCH_BYTES), options);
  }

  /** An importer that computes CIDs without storing anything ({@code --only-hash}). */
  public static UnixfsImporter onlyHash(ImportOptions options) {
    return new UnixfsImporter(BlockSink.discard(), options);
  }

  private UnixfsImporter(BlockSink sink, ImportOptions options) {
    this.options = options;
    this.sink = sink;
    this.cids = new CidMaker(options);
    this.files = new FileBuilder(options, cids, sink);
    this.dirs = new DirectoryBuilder(options, cids, sink);
  }

  /**
   * Imports one stream as a file (stdin, an upload). {@code name} labels the result and names the
   * entry when wrapping with a directory; the stream is read to its end but not closed.
   */
  public ImportedEntry importStream(InputStream in, String name) throws IOException {
    DagRef ref = files.build(in, Metadata.NONE);
    return finish(name, ref, entry -> {});
  }

  /** Imports a file, symlink or directory tree (Kubo's {@code ipfs add -r PATH}). */
  public ImportedEntry importPath(Path path) throws IOException {
    return importPath(path, entry -> {});
  }

  /**
   * Imports a file, symlink or directory tree, reporting every file and directory to {@code
   * listener} as it completes (children before parents), the root last.
   */
  public ImportedEntry importPath(Path path, Consumer<ImportedEntry> listener) throws IOException {
    Path fileName = path.toAbsolutePath().normalize().getFileName();
    String name = fileName == null ? "" : fileName.toString();
    DagRef ref = importAny(path, name, listener);
    return finish(name, ref, listener);
  }

  /**
   * Imports one file of a tree that arrives entry by entry (an HTTP multipart upload), named by its
   * '/'-separated {@code path}. Link it into directories with {@link #importDirectory}; call {@link
   * #finishTree} when the tree is complete (nothing is wrapped or flushed before that).
   */
  public ImportedEntry importFile(InputStream in, String path) throws IOException {
    return importFile(in, path, Metadata.NONE);
  }

  /** As {@link #importFile(InputStream, String)}, the file's root node carrying {@code meta}. */
  public ImportedEntry importFile(InputStream in, String path, Metadata meta) throws IOException {
    DagRef ref = files.build(in, meta);
    return new ImportedEntry(path, ref.cid(), ref.tsize());
  }

  /**
   * Imports one symbolic link of a tree that arrives entry by entry (Kubo's CLI sends a link as an
   * {@code application/symlink} part whose body is the target), named by its '/'-separated {@code
   * path}.
   */
  public ImportedEntry importSymlink(String target, String path) {
    return importSymlink(target, path, Metadata.NONE);
  }

  /** As {@link #importSymlink(String, String)}, the link's node carrying {@code meta}. */
  public ImportedEntry importSymlink(String target, String path, Metadata meta) {
    DagRef ref = symlink(target, meta);
    return new ImportedEntry(path, ref.cid(), ref.tsize());
  }

  /**
   * Builds directory {@code path} (plain or sharded) from entries imported by this importer; each
   * child is named by the last segment of its path.
   */
  public ImportedEntry importDirectory(String path, List<ImportedEntry> children) {
    return importDirectory(path, children, Metadata.NONE);
  }

  /** As {@link #importDirectory(String, List)}, the directory's root node carrying {@code meta}. */
  public ImportedEntry importDirectory(String path, List<ImportedEntry> children, Metadata meta) {
    List<DirEntry> entries = new ArrayList<>(children.size());
    for (ImportedEntry child : children) {
      String name = child.path().substring(child.path().lastIndexOf('/') + 1);
      // Directories only read a child's CID and Tsize; file content sizes matter to file nodes.
      entries.add(new DirEntry(name, new DagRef(child.cid(), child.size(), 0)));
    }
    DagRef ref = dirs.build(entries, meta);
    return new ImportedEntry(path, ref.cid(), ref.tsize());
  }

  /**
   * Completes an entry-by-entry import: wraps the top-level {@code roots} in a directory when the
   * options say so (an unnamed root is named by its CID, as Kubo does) and makes every block
   * durable. Returns the wrapping directory, or empty when not wrapping.
   */
  public Optional<ImportedEntry> finishTree(List<ImportedEntry> roots) {
    return finishTree(roots, Metadata.NONE);
  }

  /** As {@link #finishTree(List)}, a wrapping directory carrying {@code wrapperMeta}. */
  public Optional<ImportedEntry> finishTree(List<ImportedEntry> roots, Metadata wrapperMeta) {
    Optional<ImportedEntry> wrapper = Optional.empty();
    if (options.wrapWithDirectory()) {
      List<DirEntry> entries = new ArrayList<>(roots.size());
      for (ImportedEntry root : roots) {
        String name = root.path().isEmpty() ? root.cid().toString() : root.path();
        entries.add(new DirEntry(name, new DagRef(root.cid(), root.size(), 0)));
      }
      DagRef ref = dirs.build(entries, wrapperMeta);
      wrapper = Optional.of(new ImportedEntry("", ref.cid(), ref.tsize()));
    }
    sink.flush();
    return wrapper;
  }

  private ImportedEntry finish(String name, DagRef ref, Consumer<ImportedEntry> listener) {
    ImportedEntry result = new ImportedEntry(name, ref.cid(), ref.tsize());
    if (options.wrapWithDirectory()) {
      String entryName = name.isEmpty() ? ref.cid().toString() : name;
      DagRef wrapper = dirs.build(List.of(new DirEntry(entryName, ref)), Metadata.NONE);
      result = new ImportedEntry("", wrapper.cid(), wrapper.tsize());
      listener.accept(result);
    }
    sink.flush();
    return result;
  }

  private DagRef importAny(Path path, String relative, Consumer<ImportedEntry> listener)
      throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    DagRef ref;
    if (attrs.isSymbolicLink()) {
      // Kubo stores only a link's modification time: its permission bits mean nothing on Linux.
      ref = symlink(path, new Metadata(OptionalInt.empty(), metadata(path, attrs).mtime()));
    } else if (attrs.isDirectory()) {
      ref = directory(path, relative, attrs, listener);
    } else if (attrs.isRegularFile()) {
      try (InputStream in = Files.newInputStream(path)) {
        ref = files.build(in, metadata(path, attrs));
      }
    } else {
      throw new UnixfsException(
          "cannot import " + path + ": not a regular file, directory or symlink");
    }
    listener.accept(new ImportedEntry(relative, ref.cid(), ref.tsize()));
    return ref;
  }

  private DagRef directory(
      Path dir, String relative, BasicFileAttributes attrs, Consumer<ImportedEntry> listener)
      throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path child : stream) {
        if (options.hidden() || !child.getFileName().toString().startsWith(".")) {
          children.add(child);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    // Sorted so listener output and block order are reproducible; the CIDs do not depend on it.
    children.sort(null);
    List<DirEntry> entries = new ArrayList<>(children.size());
    for (Path child : children) {
      String childName = child.getFileName().toString();
      String childRelative = relative.isEmpty() ? childName : relative + "/" + childName;
      entries.add(new DirEntry(childName, importAny(child, childRelative, listener)));
    }
    return dirs.build(entries, metadata(dir, attrs));
  }

  private DagRef symlink(Path link, Metadata meta) throws IOException {
    return symlink(Files.readSymbolicLink(link).toString(), meta);
  }

  private DagRef symlink(String target, Metadata meta) {
    byte[] block = UnixfsNodes.symlink(target, meta);
    Cid cid = cids.cid(Multicodec.DAG_PB, block);
    sink.put(cid, block);
    return new DagRef(cid, block.length, 0);
  }

  private Metadata metadata(Path path, BasicFileAttributes attrs) throws IOException {
    if (!options.preserveMode() && !options.preserveMtime()) {
      return Metadata.NONE;
    }
    OptionalInt mode = OptionalInt.empty();
    if (options.preserveMode()) {
      try {
        PosixFileAttributes posix =
            Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        mode = OptionalInt.of(modeBits(posix));
      } catch (UnsupportedOperationException e) {
        // No POSIX permissions on this file system: nothing to preserve.
      }
    }
    return new Metadata(
        mode,
        options.preserveMtime()
            ? Optional.of(attrs.lastModifiedTime().toInstant())
            : Optional.empty());
  }

  private static int modeBits(PosixFileAttributes posix) {
    int mode = 0;
    for (PosixFilePermission p : posix.permissions()) {
      mode |= 1 << (8 - p.ordinal());
    }
    return mode;
  }
}
