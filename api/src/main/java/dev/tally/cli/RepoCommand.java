package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally repo}: repo maintenance, as {@code ipfs repo}. */
@Command(
    name = "repo",
    description = "Manipulate the Tally repo.",
    subcommands = {RepoGcCommand.class, RepoStatCommand.class, RepoVerifyCommand.class})
final class RepoCommand {
  private RepoCommand() {}
}
