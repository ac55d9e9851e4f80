package dev.tally.unixfs;

import java.util.Arrays;

/**
 * One chunk of a file, read into {@code array[offset, offset + length)}. The array may hold room
 * before and after the chunk, so that a dag-pb leaf can be framed around the bytes where they were
 * read instead of being copied into a block of its own.
 */
record Chunk(byte[] array, int offset, int length) {
  Chunk {
    if (offset < 0 || length < 0 || offset + length > array.length) {
      throw new IllegalArgumentException(
          "chunk [" + offset + ", +" + length + ") outside an array of " + array.length);
    }
  }

  /** A chunk that is the whole array. */
  static Chunk of(byte[] whole) {
    return new Chunk(whole, 0, whole.length);
  }

  /** The chunk's bytes as an array of their own (the array itself when the chunk fills it). */
  byte[] bytes() {
    return offset == 0 && length == array.length
        ? array
        : Arrays.copyOfRange(array, offset, offset + length);
  }
}
