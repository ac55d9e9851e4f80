package dev.tally.car;

import dev.tally.multiformats.Cid;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A CAR archive is malformed, exceeds a limit, or holds a block that does not match its CID. The
 * message says what was wrong and where; {@link #offset()} is the byte offset in the archive of the
 * header or section at fault and {@link #cid()} the CID of the offending block when it is known.
 */
public final class CarException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final transient Cid cid;

  CarException(String message, long offset, Cid cid, Throwable cause) {
    super(message, cause);
    this.offset = offset;
    this.cid = cid;
  }

  static CarException at(long offset, String message) {
    return new CarException(message + " (at byte " + offset + ")", offset, null, null);
  }

  static CarException at(long offset, String message, Throwable cause) {
    return new CarException(message + " (at byte " + offset + ")", offset, null, cause);
  }

  static CarException block(long offset, Cid cid, String message, Throwable cause) {
    return new CarException(
        "block " + cid + " at byte " + offset + ": " + message, offset, cid, cause);
  }

  /** An error about the archive as a whole or about arguments given to a writer. */
  static CarException general(String message) {
    return new CarException(message, -1, null, null);
  }

  /** Byte offset (from the start of the archive) of the header or section at fault. */
  public OptionalLong offset() {
    return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  /** CID of the offending block, when the error concerns a block whose CID could be read. */
  public Optional<Cid> cid() {
    return Optional.ofNullable(cid);
  }
}
