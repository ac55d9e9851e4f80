package dev.tally.unixfs;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/** Turns chunks into stored leaves one at a time, with one chunk of look-ahead. */
final class LeafSource {
  /** Stores one chunk as a leaf block. */
  interface LeafWriter {
    DagRef write(byte[] chunk);
  }

  private final Chunker chunker;
  private final LeafWriter writer;
  private final Deque<byte[]> ahead = new ArrayDeque<>(2);
  private boolean exhausted;

  LeafSource(Chunker chunker, LeafWriter writer, byte[]... alreadyRead) {
    this.chunker = chunker;
    this.writer = writer;
    for (byte[] chunk : alreadyRead) {
      ahead.addLast(chunk);
    }
  }

  boolean hasNext() throws IOException {
    if (ahead.isEmpty() && !exhausted) {
      chunker.next().ifPresentOrElse(ahead::addLast, () -> exhausted = true);
    }
    return !ahead.isEmpty();
  }

  DagRef next() throws IOException {
    if (!hasNext()) {
      throw new IllegalStateException("no more leaves");
    }
    return writer.write(ahead.removeFirst());
  }
}
