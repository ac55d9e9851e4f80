package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally lending}: lending records on a log, and the schedule calculator. */
@Command(
    name = "lending",
    description = "Write lending records to a log; compute repayment schedules.",
    subcommands = {LendingScheduleCommand.class})
final class LendingCommand {}
