package dev.tally.node;

import dev.tally.ipld.Block;
import dev.tally.ipld.Codecs;
import dev.tally.ipld.IpldLink;
import dev.tally.ipld.IpldList;
import dev.tally.ipld.IpldMap;
import dev.tally.ipld.IpldNode;
import dev.tally.ipld.IpldString;
import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * Walks an {@link IpfsPath} through IPLD data ({@code dag get CID/a/0/b}): map keys, list indexes,
 * links between blocks, and dag-pb link names (so UnixFS paths work as in Kubo). Blocking.
 */
public final class DagPathResolver {
  private final DagTraversal blocks;

  public DagPathResolver(DagTraversal blocks) {
    this.blocks = blocks;
  }

  private IpldNode load(Cid cid) {
    Block block = blocks.load(cid);
    return Codecs.require(cid.codec()).decode(block.bytes());
  }

  /** The value {@code path} names; a link at the end of the path is followed to its node. */
  public IpldNode resolve(IpfsPath path) {
    IpldNode current = load(path.root());
    StringBuilder walked = new StringBuilder(path.root().toString());
    for (String segment : path.segments()) {
      if (current instanceof IpldLink link) {
        current = load(link.cid());
      }
      current = step(current, segment, walked);
      walked.append('/').append(segment);
    }
    return current instanceof IpldLink link ? load(link.cid()) : current;
  }

  private static IpldNode step(IpldNode node, String segment, CharSequence walked) {
    if (node instanceof IpldMap map) {
      Optional<IpldNode> value = map.get(segment);
      if (value.isPresent()) {
        return value.get();
      }
      return pbLink(map, segment).orElseThrow(() -> missing(walked, segment, "no such key"));
    }
    if (node instanceof IpldList list) {
      int index;
      try {
        index = Integer.parseInt(segment);
      } catch (NumberFormatException e) {
        throw missing(walked, segment, "a list index must be a non-negative integer");
      }
      if (index < 0 || index >= list.size()) {
        throw missing(walked, segment, "the list has " + list.size() + " entries");
      }
      return list.get(index);
    }
    throw missing(
        walked,
        segment,
        "cannot descend into a " + node.kind().name().toLowerCase(java.util.Locale.ROOT));
  }

  /** In a dag-pb node ({@code {Links: [{Name, Hash}]}}), the link with that name. */
  private static Optional<IpldNode> pbLink(IpldMap map, String name) {
    Optional<IpldNode> links = map.get("Links");
    if (links.isEmpty() || !(links.get() instanceof IpldList list)) {
      return Optional.empty();
    }
    for (IpldNode link : list.asList()) {
      if (link instanceof IpldMap l
          && l.get("Name")
              .filter(n -> n instanceof IpldString s && s.value().equals(name))
              .isPresent()) {
        return l.get("Hash");
      }
    }
    return Optional.empty();
  }

  private static IllegalArgumentException missing(CharSequence walked, String segment, String why) {
    return new IllegalArgumentException(
        "no link named \"" + segment + "\" under " + walked + " (" + why + ")");
  }
}
