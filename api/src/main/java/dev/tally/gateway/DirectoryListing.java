package dev.tally.gateway;

import dev.tally.node.IpfsPath;
import dev.tally.unixfs.EntryType;
import dev.tally.unixfs.UnixfsEntry;
import java.util.List;

/** The HTML page for a UnixFS directory without an index.html. */
final class DirectoryListing {
  private DirectoryListing() {}

  static String html(IpfsPath path, List<UnixfsEntry> entries) {
    String title = PathText.html(path.toString());
    StringBuilder b = new StringBuilder(256 + entries.size() * 160);
    b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(title)
        .append("</title></head>\n<body><h1>Index of ")
        .append(title)
        .append("</h1>\n<table>\n");
    if (!path.segments().isEmpty()) {
      b.append("<tr><td><a href=\"../\">..</a></td><td></td><td></td></tr>\n");
    }
    for (UnixfsEntry e : entries) {
      boolean dir = e.type() == EntryType.DIRECTORY;
      String href = PathText.encodeSegment(e.name()) + (dir ? "/" : "");
      b.append("<tr><td><a href=\"")
          .append(PathText.html(href))
          .append("\">")
          .append(PathText.html(e.name()))
          .append(dir ? "/" : "")
          .append("</a></td><td>")
          .append(dir ? "-" : Long.toString(e.size()))
          .append("</td><td><code>")
          .append(e.cid())
          .append("</code></td></tr>\n");
    }
    return b.append("</table>\n</body></html>\n").toString();
  }
}
