package dev.tally.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One part of a multipart upload as its headers describe it.
 *
 * @param field the form field name (Kubo clients send {@code file}, {@code file-1}, {@code dir-2},
 *     optionally followed by {@code ?mode=0644&mtime=SECS&mtime-nsecs=NANOS}: the entry's POSIX
 *     metadata, see {@link #mode()} and {@link #mtime()})
 * @param filename the part's filename, percent-decoded (a '/'-separated path for directory uploads)
 * @param contentType the part's content type ({@code application/x-directory} for directories)
 */
public record UploadPart(String field, String filename, String contentType) {
  public static final String DIRECTORY_TYPE = "application/x-directory";

  /** A symbolic link: the part's body is the link's target. */
  public static final String SYMLINK_TYPE = "application/symlink";

  /** Longest field-name query read for metadata (a real one is under 60 characters). */
  private static final int MAX_QUERY = 256;

  public boolean isDirectory() {
    return DIRECTORY_TYPE.equalsIgnoreCase(contentType);
  }

  public boolean isSymlink() {
    return SYMLINK_TYPE.equalsIgnoreCase(contentType);
  }

  /**
   * The permission bits the client sent for this entry ({@code mode}, octal, as Kubo's and
   * kubo-rpc-client's multipart writers put it in the field name).
   *
   * @throws IllegalArgumentException when the value is not octal or exceeds 07777
   */
  public OptionalInt mode() {
    Optional<String> value = param("mode");
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int mode = Integer.parseInt(value.get(), 8);
      if (mode < 0 || mode > 07777) {
        throw new NumberFormatException();
      }
      return OptionalInt.of(mode);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "part \"" + filename + "\": mode \"" + value.get() + "\" is not an octal mode 0..07777");
    }
  }

  /**
   * The modification time the client sent for this entry ({@code mtime} seconds, optional {@code
   * mtime-nsecs}).
   *
   * @throws IllegalArgumentException when a value is not a number or nanoseconds exceed 999999999
   */
  public Optional<Instant> mtime() {
    Optional<String> secs = param("mtime");
    Optional<String> nanos = param("mtime-nsecs");
    if (secs.isEmpty()) {
      if (nanos.isPresent()) {
        throw new IllegalArgumentException(
            "part \"" + filename + "\": mtime-nsecs needs mtime as well");
      }
      return Optional.empty();
    }
    try {
      long n = nanos.isPresent() ? Long.parseLong(nanos.get()) : 0;
      if (n < 0 || n > 999_999_999) {
        throw new NumberFormatException();
      }
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(secs.get()), n));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "part \""
              + filename
              + "\": mtime \""
              + secs.get()
              + "\" / mtime-nsecs \""
              + nanos.orElse("")
              + "\" are not seconds and 0..999999999 nanoseconds");
    }
  }

  /** A parameter of the field name's query, percent-decoded. */
  private Optional<String> param(String name) {
    int q = field.indexOf('?');
    if (q < 0) {
      return Optional.empty();
    }
    String query = field.substring(q + 1);
    if (query.length() > MAX_QUERY) {
      throw new IllegalArgumentException(
          "part \"" + filename + "\": the field name's query is over " + MAX_QUERY + " characters");
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return Optional.of(
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
