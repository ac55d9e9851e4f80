package dev.tally.log;

import dev.tally.multiformats.Cid;

/** An entry that failed verification, with the kind of fault and the entry's CID. */
public final class LogVerificationException extends LogException {
  private static final long serialVersionUID = 1L;

  /** Why an entry was rejected. */
  public enum Kind {
    /** The bytes do not hash to the CID they were asked for under. */
    BAD_HASH,
    /** The bytes are not canonical DAG-CBOR (or not DAG-CBOR at all). */
    NON_CANONICAL,
    /** The entry is over {@link Entry#MAX_SIZE} bytes. */
    TOO_LARGE,
    /** Canonical DAG-CBOR, but not an entry: missing, extra or mistyped fields. */
    MALFORMED,
    /** The entry names another log. */
    WRONG_LOG,
    /** The author is not a writer of the log in the entry's causal past. */
    NOT_A_WRITER,
    /** An admission record ({@code WriterAdded}/{@code WriterRemoved}) not signed by an admin. */
    NOT_AN_ADMIN,
    /** The signature does not verify under the author's key. */
    BAD_SIGNATURE,
    /** A {@code next} or {@code refs} link does not resolve to a valid entry of the log. */
    DANGLING_LINK,
    /** The Lamport time is not 1 + the greatest time of {@code next}. */
    BAD_CLOCK,
    /** The skip links are not the entries 2, 4, 8, … back along the entry's spine. */
    BAD_REFS
  }

  private final Kind kind;
  private final transient Cid cid;

  public LogVerificationException(Kind kind, Cid cid, String message) {
    super("entry " + cid + " rejected (" + kind + "): " + message);
    this.kind = kind;
    this.cid = cid;
  }

  public Kind kind() {
    return kind;
  }

  public Cid cid() {
    return cid;
  }
}
