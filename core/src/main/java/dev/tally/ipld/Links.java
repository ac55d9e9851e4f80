package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Link traversal: the CIDs a block or a data-model value points to. */
public final class Links {
  private Links() {}

  /** Every CID {@code block} links to, decoded with the codec its CID names. */
  public static List<Cid> of(Block block) {
    return of(block.cid().codec(), block.bytes());
  }

  /**
   * Every CID an encoded block links to, in document order.
   *
   * @throws CodecException when the codec is unsupported or the bytes do not decode
   */
  public static List<Cid> of(long codec, byte[] data) {
    return Codecs.require(codec).links(data);
  }

  /** Every link inside {@code node}, depth-first in document order. */
  public static List<Cid> collect(IpldNode node) {
    List<Cid> out = new ArrayList<>();
    // An explicit stack: values built in memory may nest deeper than a thread stack allows.
    Deque<IpldNode> stack = new ArrayDeque<>();
    stack.push(node);
    while (!stack.isEmpty()) {
      IpldNode n = stack.pop();
      switch (n.kind()) {
        case LINK -> out.add(n.asLink());
        case LIST -> {
          IpldNode[] items = ((IpldList) n).array();
          for (int i = items.length - 1; i >= 0; i--) {
            stack.push(items[i]);
          }
        }
        case MAP -> {
          IpldNode[] values = ((IpldMap) n).valueArray();
          for (int i = values.length - 1; i >= 0; i--) {
            stack.push(values[i]);
          }
        }
        default -> {}
      }
    }
    return out;
  }
}
