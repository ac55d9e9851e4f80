package dev.tally.net.multistream;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Splits incoming bytes into multistream-select messages. Checks each length prefix against the
 * limit before waiting for (or allocating) the body, so a peer cannot make it buffer more than one
 * message plus what already arrived.
 */
final class MessageReader {
  private final int maxLength;
  private Buffer pending = Buffer.buffer();
  private int pos;

  MessageReader(int maxLength) {
    this.maxLength = maxLength;
  }

  void append(Buffer data) {
    if (pos > 0) {
      pending = pending.getBuffer(pos, pending.length());
      pos = 0;
    }
    pending.appendBuffer(data);
  }

  /** The next complete message without its newline, or empty until more bytes arrive. */
  Optional<String> next() {
    int avail = pending.length() - pos;
    long len = 0;
    int i = 0;
    while (true) {
      if (i >= avail) {
        return Optional.empty();
      }
      if (i == 2) {
        // Two varint bytes already cover 16383 > any sane limit; a third means oversize.
        throw oversize(">= 16384");
      }
      int b = pending.getByte(pos + i) & 0xff;
      len |= (long) (b & 0x7f) << (7 * i);
      i++;
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 1) {
          throw new MultistreamException("multistream length prefix is not minimally encoded");
        }
        break;
      }
    }
    if (len > maxLength) {
      throw oversize(Long.toString(len));
    }
    if (len == 0) {
      throw new MultistreamException("empty multistream message (length 0)");
    }
    if (avail - i < len) {
      return Optional.empty();
    }
    int start = pos + i;
    int end = start + (int) len;
    if (pending.getByte(end - 1) != '\n') {
      throw new MultistreamException(
          "multistream message of " + len + " bytes does not end with a newline: not multistream");
    }
    pos = end;
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(pending.getBytes(start, end - 1)))
              .toString());
    } catch (CharacterCodingException e) {
      throw new MultistreamException("multistream message is not valid UTF-8", e);
    }
  }

  /** Bytes after the last message returned. */
  Buffer remaining() {
    return pending.getBuffer(pos, pending.length());
  }

  private MultistreamException oversize(String claimed) {
    return new MultistreamException(
        "multistream message claims "
            + claimed
            + " bytes, more than the limit of "
            + maxLength
            + " (garbage or not multistream)");
  }
}
