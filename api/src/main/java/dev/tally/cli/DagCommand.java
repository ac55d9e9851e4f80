package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally dag}: IPLD DAGs, as {@code ipfs dag}. */
@Command(
    name = "dag",
    description = "Interact with IPLD DAG objects.",
    subcommands = {
      DagPutCommand.class,
      DagGetCommand.class,
      DagExportCommand.class,
      DagImportCommand.class,
      DagStatCommand.class
    })
final class DagCommand {}
