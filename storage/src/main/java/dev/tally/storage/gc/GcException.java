package dev.tally.storage.gc;

import dev.tally.storage.StorageException;

/** A garbage collection stopped; the message says why and whether anything was removed. */
public final class GcException extends StorageException {
  private static final long serialVersionUID = 1L;

  public GcException(String message, Throwable cause) {
    super(message, cause);
  }
}
