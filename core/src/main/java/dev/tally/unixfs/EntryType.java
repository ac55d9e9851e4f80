package dev.tally.unixfs;

/** What a UnixFS node is, as {@code ipfs ls} and {@code ipfs files stat} report it. */
public enum EntryType {
  FILE,
  DIRECTORY,
  SYMLINK
}
