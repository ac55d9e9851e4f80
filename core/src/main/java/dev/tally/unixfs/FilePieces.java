package dev.tally.unixfs;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Receives a file's bytes in order, as arrays or as ranges of the files that hold its leaves
 * ({@link UnixfsExporter#catPieces}): a sender can pass the second kind to the kernel without
 * copying them.
 */
public interface FilePieces {
  /** Takes {@code length} bytes of {@code bytes} from {@code offset}; the array is now yours. */
  void bytes(byte[] bytes, int offset, int length) throws IOException;

  /**
   * Takes {@code length} bytes of {@code file} from {@code position}, checked against the store's
   * integrity record; the file stays readable until the {@code BlockFiles} it came from is closed.
   */
  void file(FileChannel file, long position, int length) throws IOException;
}
