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
    Path path = source.toAbsolutePath().normalize();
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    List<ApiClient.Part> parts = new ArrayList<>();
    add(path, name, hidden, parts);
    return parts;
  }

  private static void add(Path path, String relative, boolean hidden, List<ApiClient.Part> parts)
      throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attrs.isSymbolicLink()) {
      byte[] target = Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8);
      parts.add(new ApiClient.Part(relative, SYMLINK, () -> new ByteArrayInputStream(target)));
    } else if (attrs.isDirectory()) {
      parts.add(new ApiClient.Part(relative, DIRECTORY, InputStream::nullInputStream));
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
        add(child, relative + "/" + child.getFileName(), hidden, parts);
      }
    } else if (attrs.isRegularFile()) {
      parts.add(
          new ApiClient.Part(
              relative, () -> new BufferedInputStream(Files.newInputStream(path), 1 << 16)));
    } else {
      throw new IllegalArgumentException(
          "cannot add " + path + ": not a regular file, directory or symlink");
    }
  }
}
