package dev.tally.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks the tar stream of the daemon's {@code get} into {@code target}: the archive's top entry
 * becomes {@code target}, and no entry may land outside it (a hostile or broken daemon cannot write
 * elsewhere through {@code ..} or absolute names).
 */
final class TarExtract {
  private TarExtract() {}

  static void extract(InputStream tarStream, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, "UTF-8")) {
      String top = null;
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        String name = e.getName();
        while (name.endsWith("/")) {
          name = name.substring(0, name.length() - 1);
        }
        if (top == null) {
          top = name;
        }
        String rest;
        if (name.equals(top)) {
          rest = "";
        } else if (name.startsWith(top + "/")) {
          rest = name.substring(top.length() + 1);
        } else {
          throw new IOException("the daemon's archive has an entry outside its top: " + name);
        }
        Path path = rest.isEmpty() ? root : root.resolve(rest).normalize();
        if (!path.startsWith(root) || path.isAbsolute() != root.isAbsolute()) {
          throw new IOException("the daemon's archive has an unsafe entry name: " + name);
        }
        if (e.isDirectory()) {
          Files.createDirectories(path);
        } else if (e.isSymbolicLink()) {
          Files.createSymbolicLink(path, Path.of(e.getLinkName()));
          continue;
        } else if (e.isFile()) {
          try (OutputStream out =
              Files.newOutputStream(
                  path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            tar.transferTo(out);
          }
        } else {
          throw new IOException("the daemon's archive has an unsupported entry type: " + name);
        }
        applyMetadata(e, path);
      }
      if (top == null) {
        throw new IOException("the daemon's archive is empty");
      }
    }
  }

  private static void applyMetadata(TarArchiveEntry e, Path path) throws IOException {
    // The exporter writes mode and mtime only when the UnixFS node records them.
    int mode = e.getMode() & 0777;
    boolean defaultMode = mode == (e.isDirectory() ? 0755 : 0644);
    if (!defaultMode && Files.getFileStore(path).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(path, permissions(mode));
    }
    if (e.getLastModifiedDate().getTime() != 0) {
      Files.setLastModifiedTime(path, FileTime.from(e.getLastModifiedDate().toInstant()));
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        out.add(bits[i]);
      }
    }
    return out;
  }
}
