package dev.tally.car;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Varint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reader and writer hold one section at a time, whatever the archive's length. */
class CarStreamingTest {
  private static final Block BLOCK = Block.create(Multicodec.RAW, new byte[64 << 10]);

  @Test
  void readsBlocksFromAnArchiveThatNeverEnds() throws IOException {
    byte[] once = CarTestData.writeV1(List.of(BLOCK.cid()), List.of(BLOCK));
    int headerLength = once.length - sectionLength();
    byte[] header = Arrays.copyOf(once, headerLength);
    byte[] section = Arrays.copyOfRange(once, headerLength, once.length);
    // The stream never ends: a reader that buffered the archive before returning blocks would hang.
    int blocks = 1024;
    try (CarReader reader = CarReader.open(new Repeating(header, section))) {
      for (int i = 0; i < blocks; i++) {
        assertEquals(BLOCK, reader.next().orElseThrow());
      }
      assertEquals(headerLength + (long) blocks * section.length, reader.position());
    }
  }

  @Test
  void writesWithoutBufferingTheArchive() throws IOException {
    Counting sink = new Counting();
    try (CarWriter writer = CarWriter.open(sink, List.of(BLOCK.cid()))) {
      for (int i = 0; i < 4096; i++) {
        writer.write(BLOCK);
      }
      assertEquals(sink.count, writer.position());
    }
    assertEquals(
        CarTestData.writeV1(List.of(BLOCK.cid()), List.of()).length + 4096L * sectionLength(),
        sink.count);
  }

  private static int sectionLength() {
    int length = BLOCK.cid().encodedLength() + BLOCK.size();
    return Varint.encodedLength(length) + length;
  }

  /** Yields {@code head} once, then {@code body} forever. */
  private static final class Repeating extends InputStream {
    private final byte[] body;
    private byte[] current;
    private int pos;

    Repeating(byte[] head, byte[] body) {
      this.body = body;
      this.current = head;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      read(one, 0, 1);
      return one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos == current.length) {
        current = body;
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
