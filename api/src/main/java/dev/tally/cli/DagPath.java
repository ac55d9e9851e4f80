package dev.tally.cli;

import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** A path into a DAG: {@code [/ipfs/]CID[/segment...]}, walked through maps, lists and links. */
record DagPath(Cid root, List<String> segments) {
  /** Longest path a user can ask for; a guard against unbounded link-following. */
  private static final int MAX_SEGMENTS = 4096;

  static DagPath parse(String text) {
    String t = text.startsWith("/ipfs/") ? text.substring(6) : text;
    String[] parts = t.split("/", -1);
    List<String> segments =
        Arrays.stream(parts, 1, parts.length).filter(s -> !s.isEmpty()).toList();
    if (segments.size() > MAX_SEGMENTS) {
      throw new IllegalArgumentException("path has more than " + MAX_SEGMENTS + " segments");
    }
    return new DagPath(Cid.parse(parts[0]), segments);
  }

  /** Walks the segments from {@code node}, loading linked blocks through {@code load}. */
  IpldNode resolve(IpldNode node, Function<Cid, IpldNode> load) {
    IpldNode current = node;
    StringBuilder walked = new StringBuilder(root.toString());
    for (String segment : segments) {
      if (current instanceof IpldLink link) {
        current = load.apply(link.cid());
      }
      if (current instanceof IpldMap map) {
        current =
            map.get(segment).orElseThrow(() -> missing(walked, segment, "map has no such key"));
      } else if (current instanceof IpldList list) {
        int index = index(segment, walked);
        if (index >= list.size()) {
          throw missing(walked, segment, "list has only " + list.size() + " entries");
        }
        current = list.get(index);
      } else {
        throw missing(walked, segment, "cannot descend into a " + current.kind());
      }
      walked.append('/').append(segment);
    }
    return current instanceof IpldLink link && !segments.isEmpty()
        ? load.apply(link.cid())
        : current;
  }

  private static int index(String segment, CharSequence walked) {
    try {
      int index = Integer.parseInt(segment);
      if (index >= 0) {
        return index;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the error below
    }
    throw missing(walked, segment, "list index must be a non-negative integer");
  }

  private static IllegalArgumentException missing(CharSequence walked, String segment, String why) {
    return new IllegalArgumentException(
        "no link named \"" + segment + "\" under " + walked + " (" + why + ")");
  }
}
