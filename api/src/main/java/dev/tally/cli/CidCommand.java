package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally cid}: CID conversions, as {@code ipfs cid}. */
@Command(
    name = "cid",
    description = "Convert and discover properties of CIDs.",
    subcommands = {CidFormatCommand.class, CidBase32Command.class})
final class CidCommand {}
