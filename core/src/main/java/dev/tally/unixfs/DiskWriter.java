package dev.tally.unixfs;

import dev.tally.multiformats.Cid;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Materializes a UnixFS DAG on the local file system ({@code ipfs get}). */
final class DiskWriter {
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final UnixfsExporter exporter;

  DiskWriter(UnixfsExporter exporter) {
    this.exporter = exporter;
  }

  void write(UnixfsNode node, Path target) throws IOException {
    switch (node.type()) {
      case FILE -> {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
          new FileStream(exporter.store(), node, 0, Long.MAX_VALUE).transferTo(out);
        }
        applyMetadata(node, target);
      }
      case DIRECTORY -> {
        Files.createDirectory(target);
        List<Map.Entry<String, Cid>> children = new ArrayList<>();
        exporter.forEachChild(node, (name, cid) -> children.add(Map.entry(name, cid)));
        for (Map.Entry<String, Cid> child : children) {
          write(exporter.load(child.getValue()), target.resolve(safeName(node, child.getKey())));
        }
        // After the children: a read-only mode or an mtime would not survive writing them.
        applyMetadata(node, target);
      }
      case SYMLINK ->
          Files.createSymbolicLink(target, Path.of(node.data().getData().toStringUtf8()));
    }
  }

  /** Refuses names that would escape the target directory or are not one path segment. */
  private static String safeName(UnixfsNode dir, String name) {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\\') >= 0
        || name.indexOf('\0') >= 0) {
      throw new UnixfsException(
          "directory "
              + dir.cid()
              + " has an entry named '"
              + name
              + "', which is not a safe file name");
    }
    return name;
  }

  private static void applyMetadata(UnixfsNode node, Path target) throws IOException {
    if (POSIX && node.mode().isPresent()) {
      Files.setPosixFilePermissions(target, permissions(node.mode().getAsInt()));
    }
    if (node.mtime().isPresent()) {
      Files.setLastModifiedTime(target, FileTime.from(node.mtime().get()));
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - p.ordinal()))) != 0) {
        perms.add(p);
      }
    }
    return perms;
  }
}
