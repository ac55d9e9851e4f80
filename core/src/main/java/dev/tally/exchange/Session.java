package dev.tally.exchange;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Related wants (one DAG): peers that had earlier blocks are asked first, and wants are spread
 * across them. Safe to call from any thread.
 */
public interface Session extends AutoCloseable {
  /** Fetches one block from peers; the block is verified against {@code cid} and stored. */
  Future<Block> get(Cid cid);

  /** Blocks this session received, per sending peer. */
  Map<PeerId, Long> blocksByPeer();

  /** Fails every open want with an {@link ExchangeException} and cancels them at the peers. */
  @Override
  void close();
}
