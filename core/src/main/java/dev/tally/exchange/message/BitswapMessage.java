package dev.tally.exchange.message;

import dev.tally.ipld.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * One Bitswap message: wantlist changes (or a full wantlist), blocks, presences and the sender's
 * pending bytes.
 */
public record BitswapMessage(
    List<WantEntry> wants,
    boolean full,
    List<Payload> blocks,
    List<BlockPresence> presences,
    int pendingBytes) {

  public BitswapMessage {
    wants = List.copyOf(wants);
    blocks = List.copyOf(blocks);
    presences = List.copyOf(presences);
  }

  public static BitswapMessage wants(List<WantEntry> wants) {
    return new BitswapMessage(wants, false, List.of(), List.of(), 0);
  }

  public static BitswapMessage response(List<Block> blocks, List<BlockPresence> presences) {
    List<Payload> payloads = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      payloads.add(Payload.of(b));
    }
    return new BitswapMessage(List.of(), false, payloads, presences, 0);
  }

  public boolean isEmpty() {
    return wants.isEmpty() && !full && blocks.isEmpty() && presences.isEmpty();
  }
}
