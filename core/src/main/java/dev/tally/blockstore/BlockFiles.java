package dev.tally.blockstore;

import dev.tally.multiformats.Cid;
import java.io.Closeable;
import java.util.Optional;

/**
 * Block bodies as ranges of files, for a sender that hands a file range to the kernel ({@code
 * sendfile}) instead of copying the bytes through the heap. Each body is checked against the
 * store's own integrity record when it is handed out, and its file stays readable through {@link
 * StoredBody#file()} until this is closed, even if the store deletes or rewrites the file
 * meanwhile. One per reader (a response); not thread-safe. {@link #close} releases the files: call
 * it only once nothing reads from them any more.
 */
public interface BlockFiles extends Closeable {
  /**
   * The body of {@code cid} as it lies in a file, checked; empty when the block is not in one of
   * this store's files (absent, or an identity CID).
   */
  Optional<StoredBody> body(Cid cid);

  @Override
  void close();
}
