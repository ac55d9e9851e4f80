package dev.tally.log;

import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.util.List;

/**
 * Which links of an application's state DAG (a checkpoint's state root, ADR 018) lead to more of
 * the state itself. The other links in a state name what the state is about (log entries, a
 * cluster's pinned content): garbage collection keeps a state's own blocks with its log and leaves
 * the rest to whatever else keeps it (pins), as ADR 026 says. Registered per state type, the {@code
 * type} field of the state's root block.
 */
@FunctionalInterface
public interface StateLayout {
  /**
   * The state's own blocks linked from {@code block}, a decoded block of the state at {@code depth}
   * (0 for the root).
   *
   * @throws IllegalStateException when the block is not shaped as this layout expects
   */
  List<Cid> ownLinks(IpldNode block, int depth);

  /**
   * A two-level state: a root map whose {@code chunks} field lists the state's other blocks, whose
   * own links are data (a pinset snapshot, a checkpoint's order index).
   */
  static StateLayout rootAndChunks() {
    return (block, depth) ->
        depth == 0
            ? block.asMap().get("chunks").orElseThrow().asList().stream()
                .map(IpldNode::asLink)
                .toList()
            : List.of();
  }
}
