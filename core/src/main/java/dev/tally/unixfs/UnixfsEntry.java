package dev.tally.unixfs;

import dev.tally.multiformats.Cid;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A file, directory or symlink as the exporter reports it.
 *
 * @param name entry name within its directory (empty for a root)
 * @param cid the node's CID
 * @param type file, directory (plain or HAMT-sharded) or symlink
 * @param size file content bytes; symlink target bytes; 0 for directories
 * @param mode permission bits, when the node records them
 * @param mtime modification time, when the node records it
 */
public record UnixfsEntry(
    String name, Cid cid, EntryType type, long size, OptionalInt mode, Optional<Instant> mtime) {}
