package dev.tally.exchange.message;

import dev.tally.multiformats.MultiformatException;
import dev.tally.multiformats.Varint;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Splits a byte stream into uvarint-length-prefixed frames. A frame announced longer than the limit
 * is refused before any of it is buffered, so the decoder holds at most one frame plus what the
 * stream delivered past it. The arriving buffers are queued as they are and each frame is copied
 * once, into an array of its exact size: a 1 MiB block costs one copy and one allocation, not a
 * growing buffer. Not thread-safe: one stream, one context.
 */
public final class FrameDecoder {
  private final int maxFrameLength;
  private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();

  /** Read position in the first chunk. */
  private int headPos;

  /** Bytes queued and not yet returned. */
  private int buffered;

  /** The next frame's body length, or -1 until its prefix has arrived; set by {@link #peek()}. */
  private long length = -1;

  /** Bytes of the next frame's length prefix. */
  private int prefix;

  public FrameDecoder(int maxFrameLength) {
    this.maxFrameLength = maxFrameLength;
  }

  public void feed(Buffer data) {
    if (data.length() > 0) {
      chunks.add(data);
      buffered += data.length();
    }
  }

  /** Bytes received and not yet returned as frames. */
  public int buffered() {
    return buffered;
  }

  /**
   * The next complete frame's body, or empty if more bytes are needed.
   *
   * @throws MessageException on a malformed or oversized length prefix
   */
  public Optional<byte[]> next() {
    if (!peek()) {
      return Optional.empty();
    }
    skip(prefix);
    byte[] body = new byte[(int) length];
    copy(body, 0, body.length);
    length = -1;
    return Optional.of(body);
  }

  /**
   * The next complete frame cut in two arrays, each of its exact size: {@code split} is given a
   * read-only view of the body's first {@code maxHead} bytes (fewer if the body is shorter) and
   * returns how many belong to the head (for a CAR section: the length of its CID).
   *
   * @throws MessageException on a malformed or oversized length prefix
   * @throws IllegalArgumentException if {@code split} returns a length outside the view
   */
  public Optional<byte[][]> nextSplit(int maxHead, ToIntFunction<ByteBuffer> split) {
    if (!peek()) {
      return Optional.empty();
    }
    skip(prefix);
    int len = (int) length;
    byte[] view = new byte[Math.min(len, maxHead)];
    peekInto(view);
    int headLength = split.applyAsInt(ByteBuffer.wrap(view).asReadOnlyBuffer());
    if (headLength < 0 || headLength > view.length) {
      throw new IllegalArgumentException(
          "a frame head of " + headLength + " bytes lies outside the " + view.length + " viewed");
    }
    byte[] head = headLength == view.length ? view : Arrays.copyOf(view, headLength);
    skip(headLength);
    byte[] rest = new byte[len - headLength];
    copy(rest, 0, rest.length);
    length = -1;
    return Optional.of(new byte[][] {head, rest});
  }

  /** Reads the next length prefix (once); true when the whole frame has arrived. */
  private boolean peek() {
    if (length < 0) {
      byte[] header = new byte[Math.min(buffered, Varint.MAX_LENGTH)];
      peekInto(header);
      int end = -1;
      for (int i = 0; i < header.length; i++) {
        if ((header[i] & 0x80) == 0) {
          end = i + 1;
          break;
        }
      }
      if (end < 0) {
        if (header.length >= Varint.MAX_LENGTH) {
          throw new MessageException("frame length prefix is longer than a uvarint may be");
        }
        return false;
      }
      long len;
      try {
        len = Varint.decode(header, 0, end);
      } catch (MultiformatException e) {
        throw new MessageException("malformed frame length: " + e.getMessage(), e);
      }
      if (len > maxFrameLength) {
        throw new MessageException(
            "frame of " + len + " bytes exceeds the " + maxFrameLength + "-byte limit");
      }
      length = len;
      prefix = end;
    }
    return buffered - prefix >= length;
  }

  /** Copies the next {@code dst.length} unread bytes without consuming them. */
  private void peekInto(byte[] dst) {
    int off = 0;
    int pos = headPos;
    for (Buffer c : chunks) {
      if (off == dst.length) {
        break;
      }
      int n = Math.min(dst.length - off, c.length() - pos);
      c.getBytes(pos, pos + n, dst, off);
      off += n;
      pos = 0;
    }
  }

  /** Consumes {@code len} bytes into {@code dst}. */
  private void copy(byte[] dst, int off, int len) {
    while (len > 0) {
      Buffer c = chunks.peekFirst();
      int n = Math.min(len, c.length() - headPos);
      c.getBytes(headPos, headPos + n, dst, off);
      advance(n);
      off += n;
      len -= n;
    }
  }

  private void skip(int len) {
    while (len > 0) {
      int n = Math.min(len, chunks.peekFirst().length() - headPos);
      advance(n);
      len -= n;
    }
  }

  private void advance(int n) {
    headPos += n;
    buffered -= n;
    if (headPos == chunks.peekFirst().length()) {
      chunks.pollFirst();
      headPos = 0;
    }
  }
}
