package dev.tally.node;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.MultiformatException;
import java.util.ArrayList;
import java.util.List;

/**
 * A content path as users give it: {@code /ipfs/CID/a/b}, or {@code CID/a/b}. Segments are
 * '/'-separated names; "." and ".." are refused rather than interpreted, so a path can never climb
 * above its root.
 *
 * @param root the CID the path starts from
 * @param segments the names to follow from the root (no empty ones)
 */
public record IpfsPath(Cid root, List<String> segments) {
  /** Longest path text accepted, far above any real one; guards link-walking and logs. */
  public static final int MAX_LENGTH = 4096;

  public IpfsPath {
    segments = List.copyOf(segments);
  }

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming what is wrong. */
  public static IpfsPath parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "path is "
              + text.length()
              + " characters long, more than the "
              + MAX_LENGTH
              + " allowed");
    }
    String t = text;
    if (t.startsWith("/ipns/")) {
      throw new IllegalArgumentException("IPNS paths are not supported yet: " + text);
    }
    if (t.startsWith("/ipfs/")) {
      t = t.substring("/ipfs/".length());
    } else if (t.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid path \"" + text + "\": expected /ipfs/CID[/path] or CID[/path]");
    }
    String[] parts = t.split("/", -1);
    Cid root;
    try {
      root = Cid.parse(parts[0]);
    } catch (MultiformatException e) {
      throw new IllegalArgumentException(
          "invalid path \"" + text + "\": \"" + parts[0] + "\" is not a CID: " + e.getMessage(), e);
    }
    List<String> segments = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String s = parts[i];
      if (s.isEmpty()) {
        continue;
      }
      if (s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException(
            "invalid path \"" + text + "\": '.' and '..' segments are not allowed");
      }
      segments.add(s);
    }
    return new IpfsPath(root, segments);
  }

  /** The segments joined by '/' (empty for the root itself). */
  public String rest() {
    return String.join("/", segments);
  }

  @Override
  public String toString() {
    return segments.isEmpty() ? "/ipfs/" + root : "/ipfs/" + root + "/" + rest();
  }
}
