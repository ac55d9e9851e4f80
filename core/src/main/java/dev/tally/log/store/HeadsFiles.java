package dev.tally.log.store;

import dev.tally.log.LogException;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.CidFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The logs a node holds and their heads: one file per log, {@code <dir>/<log id>.heads}, holding
 * the head CIDs one per line. A file is replaced by writing a temporary file, forcing it to disk
 * and renaming it over the old one, so a crash leaves either the old heads or the new ones — both
 * name entries that are already stored, since heads are saved only after their entries.
 */
public final class HeadsFiles {
  private static final String SUFFIX = ".heads";

  /** A heads file lists at most this many bytes of CIDs; more means it is not ours. */
  private static final long MAX_FILE = 1 << 20;

  private final Path dir;

  public HeadsFiles(Path dir) {
    this.dir = dir;
  }

  /** The heads files of the repo at {@code repoDir}, in its {@code logs} directory. */
  public static HeadsFiles ofRepo(Path repoDir) {
    return new HeadsFiles(repoDir.resolve("logs"));
  }

  /** The ids of the logs this node holds, sorted. */
  public List<Cid> logs() {
    List<Cid> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        out.add(Cid.parse(name.substring(0, name.length() - SUFFIX.length())));
      }
    } catch (IOException e) {
      throw new LogException("cannot list the logs in " + dir + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  /** The saved heads of {@code log}, or empty when this node does not hold it. */
  public Optional<List<Cid>> heads(Cid log) {
    Path file = file(log);
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new LogException("heads file " + file + " is over " + MAX_FILE + " bytes");
      }
      List<Cid> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        if (!line.isBlank()) {
          out.add(Cid.parse(line.strip()));
        }
      }
      return Optional.of(out);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | CidFormatException e) {
      throw new LogException("cannot read heads file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Replaces the saved heads of {@code log} atomically and durably. */
  public void save(Cid log, Collection<Cid> heads) {
    Path file = file(log);
    Path tmp = dir.resolve(log + SUFFIX + ".tmp");
    StringBuilder text = new StringBuilder();
    heads.forEach(h -> text.append(h).append('\n'));
    try {
      Files.createDirectories(dir);
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new LogException("cannot save the heads of log " + log + ": " + e.getMessage(), e);
    }
  }

  private Path file(Cid log) {
    return dir.resolve(log.toString() + SUFFIX);
  }
}
