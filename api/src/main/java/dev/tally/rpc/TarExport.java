package dev.tally.rpc;

import dev.tally.multiformats.Cid;
import dev.tally.unixfs.EntryType;
import dev.tally.unixfs.UnixfsEntry;
import dev.tally.unixfs.UnixfsExporter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Date;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a UnixFS file or tree as the tar archive Kubo's {@code get} answers with: the top entry
 * named as given, directories before their entries, POSIX (PAX) headers for long names, modes and
 * mtimes when the nodes record them. Reads each file's blocks only as the archive reaches them.
 */
final class TarExport {
  private static final int DEFAULT_FILE_MODE = 0644;
  private static final int DEFAULT_DIR_MODE = 0755;

  private final UnixfsExporter exporter;

  TarExport(UnixfsExporter exporter) {
    this.exporter = exporter;
  }

  void write(Cid root, String name, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    UnixfsEntry top = exporter.stat(root);
    entry(
        tar,
        new UnixfsEntry(name, top.cid(), top.type(), top.size(), top.mode(), top.mtime()),
        name);
    tar.finish();
    tar.flush();
  }

  private void entry(TarArchiveOutputStream tar, UnixfsEntry e, String path) throws IOException {
    TarArchiveEntry header;
    switch (e.type()) {
      case DIRECTORY -> {
        header = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
        header.setMode(e.mode().orElse(DEFAULT_DIR_MODE) & 07777 | 040000);
      }
      case SYMLINK -> {
        header = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
        header.setLinkName(exporter.readlink(e.cid()));
        header.setMode(0777 | 0120000);
      }
      default -> {
        header = new TarArchiveEntry(path);
        header.setSize(e.size());
        header.setMode(e.mode().orElse(DEFAULT_FILE_MODE) & 07777 | 0100000);
      }
    }
    header.setModTime(Date.from(e.mtime().orElse(java.time.Instant.EPOCH)));
    tar.putArchiveEntry(header);
    if (e.type() == EntryType.FILE) {
      try (InputStream in = exporter.open(e.cid(), 0, e.size())) {
        in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
    if (e.type() == EntryType.DIRECTORY) {
      for (UnixfsEntry child : exporter.ls(e.cid())) {
        if (child.name().isEmpty()
            || child.name().equals(".")
            || child.name().equals("..")
            || child.name().contains("/")) {
          throw RpcException.failed(
              "directory "
                  + e.cid()
                  + " has an entry named \""
                  + child.name()
                  + "\" that a tar"
                  + " archive cannot hold safely");
        }
        entry(tar, child, path + "/" + child.name());
      }
    }
  }
}
