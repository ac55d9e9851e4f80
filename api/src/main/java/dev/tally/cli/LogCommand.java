package dev.tally.cli;

import picocli.CommandLine.Command;

/**
 * {@code tally log}: the replicated lending log, through the running daemon when there is one (it
 * holds the repo and replicates), else offline on this node's repo.
 */
@Command(
    name = "log",
    description = "Create, append to, read, verify and prove entries of signed logs.",
    subcommands = {
      LogCreateCommand.class,
      LogAppendCommand.class,
      LogHeadsCommand.class,
      LogLsCommand.class,
      LogGetCommand.class,
      LogVerifyCommand.class,
      LogProveCommand.class,
      LogCheckProofCommand.class,
      LogJoinCommand.class,
      LogStatusCommand.class,
      LogSubscribeCommand.class,
      LogReindexCommand.class,
      LogCheckpointCommand.class,
      LogCheckpointsCommand.class,
      LogCheckpointBundleCommand.class
    })
final class LogCommand {}
