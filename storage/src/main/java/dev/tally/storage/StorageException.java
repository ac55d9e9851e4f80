package dev.tally.storage;

/**
 * The durable store failed: it could not be opened (locked, corrupt, wrong format) or a write could
 * not be committed. The message names the file and what went wrong; the cause is H2's error.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
