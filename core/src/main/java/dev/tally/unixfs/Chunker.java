package dev.tally.unixfs;

import java.io.IOException;
import java.util.Optional;

/**
 * Splits one byte stream into the chunks that become file leaves. Each chunk is a fresh array the
 * caller owns. An empty stream yields exactly one empty chunk (an empty file is one empty leaf).
 */
public interface Chunker {
  /** The next chunk, or empty when the stream is exhausted. */
  Optional<byte[]> next() throws IOException;
}
