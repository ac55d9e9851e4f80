package dev.tally.storage.blocks;

/**
 * Limits of a {@link PackBlockstore}.
 *
 * @param packBytes a pack is closed and a new one started once a record would take it past this
 *     size (a single larger record still gets a pack of its own)
 * @param readCacheBytes bound on block bodies kept in memory for reads; 0 disables the cache
 * @param capacityBytes the most pack bytes the store may hold; a batch that would pass it fails
 *     with {@link StorageFullException} ({@link Long#MAX_VALUE}: only the disk limits it)
 */
public record PackOptions(long packBytes, long readCacheBytes, long capacityBytes) {
  public static final long DEFAULT_PACK_BYTES = 256L << 20;
  public static final long DEFAULT_READ_CACHE_BYTES = 64L << 20;

  public PackOptions {
    if (packBytes < PackFile.HEADER + PackRecord.HEADER) {
      throw new IllegalArgumentException("pack size must be at least 32 bytes, got " + packBytes);
    }
    if (readCacheBytes < 0) {
      throw new IllegalArgumentException("read cache size must be >= 0, got " + readCacheBytes);
    }
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacity must be > 0, got " + capacityBytes);
    }
  }

  public static PackOptions defaults() {
    return new PackOptions(DEFAULT_PACK_BYTES, DEFAULT_READ_CACHE_BYTES, Long.MAX_VALUE);
  }

  public PackOptions withPackBytes(long bytes) {
    return new PackOptions(bytes, readCacheBytes, capacityBytes);
  }

  public PackOptions withCapacityBytes(long bytes) {
    return new PackOptions(packBytes, readCacheBytes, bytes);
  }
}
