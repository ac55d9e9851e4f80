package dev.tally.log;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import java.util.Optional;

/**
 * Where {@link Log#join} reads the entries it lacks: a blockstore, a CAR, or the blocks an exchange
 * fetched. Its blocks are untrusted; the log re-hashes and verifies each one.
 */
@FunctionalInterface
public interface EntrySource {
  /** The block named {@code cid}, or empty when this source does not have it. */
  Optional<Block> get(Cid cid);
}
