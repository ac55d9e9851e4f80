package dev.tally.storage.blocks;

import dev.tally.storage.StorageException;

/**
 * A write did not fit: the disk is full or the store reached its configured capacity. Nothing of
 * the batch was stored; the store stays readable. Free space (for example {@code tally repo gc})
 * and retry.
 */
public final class StorageFullException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageFullException(String message) {
    super(message);
  }
}
