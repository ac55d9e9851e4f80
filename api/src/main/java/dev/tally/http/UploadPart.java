package dev.tally.http;

/**
 * One part of a multipart upload as its headers describe it.
 *
 * @param field the form field name (Kubo clients send {@code file}, {@code file-1}, {@code dir-2},
 *     optionally followed by {@code ?mode=...})
 * @param filename the part's filename, percent-decoded (a '/'-separated path for directory uploads)
 * @param contentType the part's content type ({@code application/x-directory} for directories)
 */
public record UploadPart(String field, String filename, String contentType) {
  public static final String DIRECTORY_TYPE = "application/x-directory";

  /** A symbolic link: the part's body is the link's target. */
  public static final String SYMLINK_TYPE = "application/symlink";

  public boolean isDirectory() {
    return DIRECTORY_TYPE.equalsIgnoreCase(contentType);
  }

  public boolean isSymlink() {
    return SYMLINK_TYPE.equalsIgnoreCase(contentType);
  }
}
