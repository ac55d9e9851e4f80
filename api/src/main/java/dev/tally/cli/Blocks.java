package dev.tally.cli;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;

/** Shared block look-ups for commands: a missing block is an error a user can act on. */
final class Blocks {
  private Blocks() {}

  static Block require(Repo repo, Cid cid) {
    return repo.blocks()
        .get(cid)
        .orElseThrow(
            () -> new IllegalArgumentException("block was not found locally (offline): " + cid));
  }
}
