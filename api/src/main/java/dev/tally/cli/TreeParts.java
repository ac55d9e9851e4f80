package dev.tally.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A file or directory tree as the parts of one {@code add} upload, in the encoding Kubo's CLI
 * sends: a directory is an {@code application/x-directory} part before its entries, a symlink an
 * {@code application/symlink} part whose body is its target, and every part is named by its
 * '/'-separated path from the tree's top. Entries are walked as the offline importer walks them
 * (siblings sorted, hidden ones only when asked), so both print the same lines.
 */
final class TreeParts {
  static final String DIRECTORY = "application/x-directory";
  static final String SYMLINK = "application/symlink";

  private TreeParts() {}

  /** The parts of {@code source}; nothing is opened until the upload reaches it. */
  static List<ApiClient.Part> of(Path source, boolean hidden) throws IOException {
    return of(source, hidden, false);
  }

  /**
   * The parts of {@code source}, each carrying its entry's mode and mtime when {@code metadata}
   * (for {@code --preserve-mode}/{@code --preserve-mtime}, which the daemon applies).
   */
  static List<ApiClient.Part> of(Path source, boolean hidden, boolean metadata) throws IOException {
    Path path = source.toAbsolutePath().normalize();
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    List<ApiClient.Part> parts = new ArrayList<>();
    add(path, name, hidden, metadata, parts);
    return parts;
  }

  /** {@code mode=0755&mtime=S[&mtime-nsecs=N]} of {@code path}, as Kubo's CLI sends it. */
  private static String metadata(Path path, BasicFileAttributes attrs) throws IOException {
    StringBuilder b = new StringBuilder();
    try {
      int mode = 0;
      for (PosixFilePermission p :
          Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .permissions()) {
        mode |= 1 << (8 - p.ordinal());
      }
      b.append("mode=0").append(Integer.toOctalString(mode)).append('&');
    } catch (UnsupportedOperationException e) {
      // No POSIX permissions on this file system: no mode to send.
    }
    Instant mtime = attrs.lastModifiedTime().toInstant();
    b.append("mtime=").append(mtime.getEpochSecond());
    if (mtime.getNano() > 0) {
      b.append("&mtime-nsecs=").append(mtime.getNano());
    }
    return b.toString();
  }

  private static void add(
      Path path, String relative, boolean hidden, boolean metadata, List<ApiClient.Part> parts)
      throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    String meta = metadata ? metadata(path, attrs) : "";
    if (attrs.isSymbolicLink()) {
      byte[] target = Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8);
      parts.add(
          new ApiClient.Part(relative, SYMLINK, () -> new ByteArrayInputStream(target), meta));
    } else if (attrs.isDirectory()) {
      parts.add(new ApiClient.Part(relative, DIRECTORY, InputStream::nullInputStream, meta));
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
        for (Path child : stream) {
          if (hidden || !child.getFileName().toString().startsWith(".")) {
            children.add(child);
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      children.sort(null);
      for (Path child : children) {
        add(child, relative + "/" + child.getFileName(), hidden, metadata, parts);
      }
    } else if (attrs.isRegularFile()) {
      parts.add(
          new ApiClient.Part(
              relative,
              ApiClient.Part.FILE,
              () -> new BufferedInputStream(Files.newInputStream(path), 1 << 16),
              meta));
    } else {
      throw new IllegalArgumentException(
          "cannot add " + path + ": not a regular file, directory or symlink");
    }
  }
}
