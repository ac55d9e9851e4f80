package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally plugins}: the daemon's plugins. */
@Command(
    name = "plugins",
    description = "The daemon's plugins: what is loaded, running or failed, and why.",
    subcommands = {PluginsLsCommand.class})
final class PluginsCommand {}
