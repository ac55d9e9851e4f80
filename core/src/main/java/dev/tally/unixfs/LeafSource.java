package dev.tally.unixfs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns chunks into stored leaves in file order. The calling thread reads chunks; encoding and
 * hashing run on a small dedicated pool a few chunks ahead, so reading, hashing and storing
 * overlap. Memory holds about {@link #WINDOW_BYTES} of chunks (at least a few chunks); blocks reach
 * the sink in file order, from the calling thread.
 */
final class LeafSource {
  /** A leaf ready to store: its block and how its parent links to it. */
  record Leaf(DagRef ref, byte[] block) {}

  /** Encodes and hashes one chunk; must be thread-safe. */
  interface LeafEncoder {
    Leaf encode(Chunk chunk);
  }

  /** The file's chunks in order; empty when the file is exhausted. */
  interface Chunks {
    Optional<Chunk> next() throws IOException;
  }

  // A few hashers outrun one reader already; more would only hold more chunks in memory.
  private static final int THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(THREADS, daemonThreads());

  private final Chunks chunks;
  private final LeafEncoder encoder;
  private final BlockSink sink;

  /**
   * Chunk bytes read ahead of the leaf being stored. The reader, the hashers and the store's writer
   * each stall now and then (a socket read, an fsync); with only a chunk or two of slack per hasher
   * each stall idled the others. With 4 MiB (16 chunks of 256 KiB), idle HttpBench runs on 2 cores
   * imported 6-7 % faster, over HTTP and in process alike (4 runs each, 957 -> 1,013 and 1,333 ->
   * 1,429 MB/s), for 3 MiB more memory per import.
   */
  static final int WINDOW_BYTES = 4 << 20;

  private static final int MIN_CHUNKS = THREADS + 2;

  private final Deque<Chunk> alreadyRead = new ArrayDeque<>(2);
  private final Deque<Future<Leaf>> inFlight = new ArrayDeque<>();
  private final Deque<Integer> inFlightSizes = new ArrayDeque<>();
  private long inFlightBytes;
  private boolean exhausted;

  LeafSource(Chunks chunks, LeafEncoder encoder, BlockSink sink, Chunk... alreadyRead) {
    this.chunks = chunks;
    this.encoder = encoder;
    this.sink = sink;
    for (Chunk chunk : alreadyRead) {
      this.alreadyRead.addLast(chunk);
    }
  }

  boolean hasNext() throws IOException {
    fill();
    return !inFlight.isEmpty();
  }

  DagRef next() throws IOException {
    if (!hasNext()) {
      throw new IllegalStateException("no more leaves");
    }
    Leaf leaf = await(inFlight.removeFirst());
    inFlightBytes -= inFlightSizes.removeFirst();
    sink.put(leaf.ref().cid(), leaf.block());
    fill();
    return leaf.ref();
  }

  private void fill() throws IOException {
    while ((inFlight.size() < MIN_CHUNKS || inFlightBytes < WINDOW_BYTES) && !exhausted) {
      Chunk chunk = alreadyRead.pollFirst();
      if (chunk == null) {
        chunk = chunks.next().orElse(null);
      }
      if (chunk == null) {
        exhausted = true;
      } else {
        Chunk c = chunk;
        inFlight.addLast(POOL.submit(() -> encoder.encode(c)));
        inFlightSizes.addLast(c.length());
        inFlightBytes += c.length();
      }
    }
  }

  private static Leaf await(Future<Leaf> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing a leaf");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new UnixfsException("hashing a leaf failed", e.getCause());
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "tally-unixfs-hash-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
