package dev.tally.storage.repo;

/** A repository that cannot be created, opened or read: the message says which and why. */
public final class RepoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RepoException(String message) {
    super(message);
  }

  public RepoException(String message, Throwable cause) {
    super(message, cause);
  }
}
