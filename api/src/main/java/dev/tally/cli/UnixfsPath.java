package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.unixfs.UnixfsExporter;

/** A UnixFS path as Kubo takes it: {@code /ipfs/CID/a/b}, {@code CID/a/b} or a bare CID. */
record UnixfsPath(Cid root, String rest, String lastName) {
  static UnixfsPath parse(String text) {
    String t = text.startsWith("/ipfs/") ? text.substring(6) : text;
    int slash = t.indexOf('/');
    String cid = slash < 0 ? t : t.substring(0, slash);
    String rest = slash < 0 ? "" : t.substring(slash + 1);
    String trimmed = rest.replaceAll("/+$", "");
    String last = trimmed.isEmpty() ? cid : trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return new UnixfsPath(Cid.parse(cid), rest, last);
  }

  Cid resolve(UnixfsExporter exporter) {
    return rest.isEmpty() ? root : exporter.resolve(root, rest);
  }
}
