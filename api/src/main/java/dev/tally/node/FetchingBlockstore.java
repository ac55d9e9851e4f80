package dev.tally.node;

import dev.tally.blockstore.Blockstore;
import dev.tally.exchange.DagFetch;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.blocks.CorruptBlockException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The repo's blockstore as an online node reads it: a block missing locally is fetched from peers
 * through the exchange (which stores it) when a peer is connected, so {@code cat}, {@code get},
 * {@code dag get} and the gateway serve content only peers hold, and a corrupt local copy is
 * replaced by a peer's. {@link #get} then waits on the calling thread: call it from a worker, never
 * an event loop. Blocks put here are announced to peers that want them.
 */
public final class FetchingBlockstore implements Blockstore {
  private final Blockstore local;
  private final Network network;

  public FetchingBlockstore(Blockstore local, Network network) {
    this.local = local;
    this.network = network;
  }

  @Override
  public boolean has(Cid cid) {
    return local.has(cid);
  }

  /**
   * The block, fetched from peers if missing here. A local copy whose bytes rotted on disk is
   * dropped and fetched again (the exchange checks the bytes against the CID and stores them).
   *
   * @throws BlockNotFoundException when no peer sent it within the fetch timeout
   * @throws CorruptBlockException when the local copy is corrupt and no peer is connected
   */
  @Override
  public Optional<Block> get(Cid cid) {
    try {
      Optional<Block> held = local.get(cid);
      if (held.isPresent()) {
        return held;
      }
    } catch (CorruptBlockException e) {
      if (network.host().connections().isEmpty()) {
        throw e;
      }
      local.delete(cid);
    }
    if (network.host().connections().isEmpty()) {
      // No peer could send it: answer at once rather than after the fetch timeout.
      throw new BlockNotFoundException(
          cid, "block was not found locally and no peer is connected to fetch it from: " + cid);
    }
    long millis = network.fetchTimeout().toMillis();
    try {
      return Optional.of(
          network
              .exchange()
              .get(cid)
              .toCompletionStage()
              .toCompletableFuture()
              .get(millis, TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      throw new BlockNotFoundException(
          cid, "no connected peer sent block " + cid + " within " + millis + " ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BlockNotFoundException(
          cid, "block " + cid + " could not be fetched from peers: " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BlockNotFoundException(cid, "interrupted while fetching block " + cid);
    }
  }

  /**
   * Fetches every block reachable from {@code root} that is missing here, many at once (as {@code
   * pin add} needs before it walks the DAG locally). Without connected peers there is nothing to
   * fetch from; the caller's walk then reports the first missing block.
   *
   * @throws BlockNotFoundException when peers do not deliver some block
   */
  public void fetchAll(Cid root) {
    fetchAll(root, p -> {});
  }

  /**
   * As {@link #fetchAll(Cid)}, telling {@code progress} the fetch's counters about every {@code
   * PROGRESS_MILLIS} while it runs (on this thread).
   */
  public void fetchAll(Cid root, java.util.function.Consumer<DagFetch.Progress> progress) {
    if (network.host().connections().isEmpty()) {
      return;
    }
    DagFetch fetch = network.exchange().fetchDag(root);
    java.util.concurrent.CompletableFuture<DagFetch.Progress> done =
        fetch.done().toCompletionStage().toCompletableFuture();
    try {
      while (true) {
        try {
          progress.accept(done.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS));
          return;
        } catch (TimeoutException e) {
          progress.accept(fetch.progress());
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BlockNotFoundException(
          root,
          "the DAG under " + root + " could not be fetched from peers: " + cause.getMessage());
    } catch (InterruptedException e) {
      fetch.cancel();
      Thread.currentThread().interrupt();
      throw new BlockNotFoundException(root, "interrupted while fetching the DAG under " + root);
    }
  }

  /** How often {@link #fetchAll(Cid, java.util.function.Consumer)} reports progress. */
  public static final long PROGRESS_MILLIS = 200;

  @Override
  public void put(Block block) {
    local.put(block);
    network.exchange().provide(List.of(block.cid()));
  }

  @Override
  public void putAll(Collection<Block> blocks) {
    local.putAll(blocks);
    network.exchange().provide(blocks.stream().map(Block::cid).toList());
  }

  @Override
  public boolean delete(Cid cid) {
    return local.delete(cid);
  }

  @Override
  public long size() {
    return local.size();
  }

  @Override
  public long totalBytes() {
    return local.totalBytes();
  }

  @Override
  public Stream<Multihash> keys() {
    return local.keys();
  }

  /** The repo owns the local store and closes it; nothing to release here. */
  @Override
  public void close() {}
}
