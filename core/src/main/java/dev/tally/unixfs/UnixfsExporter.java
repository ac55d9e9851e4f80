package dev.tally.unixfs;

import dev.tally.blockstore.BlockFiles;
import dev.tally.blockstore.Blockstore;
import dev.tally.ipld.PbLink;
import dev.tally.multiformats.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Reads UnixFS DAGs back: {@code cat} (with offset and length, loading only the blocks needed),
 * {@code ls}, path resolution through plain and HAMT-sharded directories, and {@code get} to disk.
 * Raw leaves and identity CIDs are read like any other node. Blocking: call from a worker thread.
 */
public final class UnixfsExporter {
  private final Blockstore store;
  private final HamtReader hamt;

  public UnixfsExporter(Blockstore store) {
    this.store = store;
    this.hamt = new HamtReader(store);
  }

  /** Type, size and metadata of the node {@code cid}. */
  public UnixfsEntry stat(Cid cid) {
    return UnixfsNode.load(store, cid).entry("");
  }

  /** Writes the whole file {@code cid} to {@code out}. */
  public void cat(Cid cid, OutputStream out) throws IOException {
    cat(cid, 0, Long.MAX_VALUE, out);
  }

  /**
   * Writes up to {@code length} bytes of file {@code cid} starting at {@code offset}; fewer when
   * the file ends first.
   */
  public void cat(Cid cid, long offset, long length, OutputStream out) throws IOException {
    open(cid, offset, length).transferTo(out);
  }

  /**
   * Receives a file's bytes as arrays it may keep: the exporter never touches an array again once
   * handed over, so a receiver can queue it for a socket without copying it first.
   */
  @FunctionalInterface
  public interface OwnedBytes {
    /** Takes {@code length} bytes of {@code bytes} from {@code offset}; the array is now yours. */
    void write(byte[] bytes, int offset, int length) throws IOException;
  }

  /**
   * Like {@link #cat(Cid, long, long, OutputStream)}, handing each block's piece of the range to
   * {@code out} without a copy (an {@link OutputStream} may reuse the array it is given, so {@code
   * cat} into a buffering stream costs one copy per byte more). Returns the bytes handed over.
   */
  public long catOwned(Cid cid, long offset, long length, OwnedBytes out) throws IOException {
    return stream(cid, offset, length).transferOwned(out);
  }

  /**
   * Like {@link #catOwned}, handing each leaf that {@code files} holds in a file to {@code out} as
   * that file's range instead of its bytes (raw leaves whole, dag-pb leaves the data's part of the
   * block): a sender can then pass it to the kernel without copying it through the heap. Leaves
   * {@code files} does not hold, and the root, come as arrays, read from this exporter's store.
   * Returns the bytes handed over.
   */
  public long catPieces(Cid cid, long offset, long length, BlockFiles files, FilePieces out)
      throws IOException {
    return stream(cid, offset, length).transferPieces(files, out);
  }

  /**
   * A lazy stream of up to {@code length} bytes of file {@code cid} from {@code offset}: blocks are
   * loaded only as reading reaches them, and only those holding bytes of the range. Fails with
   * {@link UnixfsException} (unchecked) when a block is missing or malformed.
   */
  public InputStream open(Cid cid, long offset, long length) {
    return stream(cid, offset, length);
  }

  private FileStream stream(Cid cid, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new UnixfsException("offset and length must not be negative");
    }
    long end = length > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + length;
    return new FileStream(store, UnixfsNode.load(store, cid), offset, end);
  }

  /** The entries of directory {@code cid} (plain or sharded), sorted by name. */
  public List<UnixfsEntry> ls(Cid cid) {
    UnixfsNode dir = UnixfsNode.load(store, cid);
    if (dir.type() != EntryType.DIRECTORY) {
      throw new UnixfsException(cid + " is not a directory");
    }
    List<UnixfsEntry> entries = new ArrayList<>();
    forEachChild(dir, (name, child) -> entries.add(UnixfsNode.load(store, child).entry(name)));
    entries.sort(Comparator.comparing(UnixfsEntry::name));
    return entries;
  }

  /**
   * Follows a '/'-separated {@code path} from {@code root} through directories; empty segments are
   * ignored, so "" resolves to the root.
   */
  public Cid resolve(Cid root, String path) {
    Cid current = root;
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      UnixfsNode node = UnixfsNode.load(store, current);
      Optional<Cid> next;
      if (node.isHamt()) {
        next = hamt.find(node, segment, 0);
      } else if (node.type() == EntryType.DIRECTORY) {
        next =
            node.links().stream()
                .filter(l -> l.name().orElse("").equals(segment))
                .map(PbLink::hash)
                .findFirst();
      } else {
        throw new UnixfsException(
            "cannot resolve '" + segment + "' in " + current + ": not a directory");
      }
      Cid from = current;
      current =
          next.orElseThrow(
              () -> new UnixfsException("no link named '" + segment + "' under " + from));
    }
    return current;
  }

  /**
   * Writes the file, directory tree or symlink {@code cid} to {@code target} (which must not
   * exist), applying recorded modes and mtimes.
   */
  public void get(Cid cid, Path target) throws IOException {
    new DiskWriter(this).write(UnixfsNode.load(store, cid), target);
  }

  /** The target path that symlink {@code cid} points to. */
  public String readlink(Cid cid) {
    UnixfsNode node = UnixfsNode.load(store, cid);
    if (node.type() != EntryType.SYMLINK) {
      throw new UnixfsException(cid + " is not a symlink");
    }
    return node.data().getData().toStringUtf8();
  }

  Blockstore store() {
    return store;
  }

  UnixfsNode load(Cid cid) {
    return UnixfsNode.load(store, cid);
  }

  void forEachChild(UnixfsNode dir, BiConsumer<String, Cid> visitor) {
    if (dir.isHamt()) {
      hamt.forEach(dir, visitor);
    } else {
      for (PbLink link : dir.links()) {
        visitor.accept(link.name().orElse(""), link.hash());
      }
    }
  }
}
