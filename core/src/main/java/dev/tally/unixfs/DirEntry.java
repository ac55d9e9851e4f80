package dev.tally.unixfs;

/** A named child of a directory being built. */
record DirEntry(String name, DagRef ref) {}
