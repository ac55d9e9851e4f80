package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally block}: raw blocks, as {@code ipfs block}. */
@Command(
    name = "block",
    description = "Interact with raw blocks in the blockstore.",
    subcommands = {
      BlockPutCommand.class,
      BlockGetCommand.class,
      BlockStatCommand.class,
      BlockRmCommand.class
    })
final class BlockCommand {
  /** Blocks over this size cannot travel through Bitswap, so they are refused unless forced. */
  static final int MAX_BLOCK_SIZE = 2 * 1024 * 1024;
}
