package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally lending}: lending records on a log, and the schedule calculator. */
@Command(
    name = "lending",
    description =
        "Write lending records to a log; compute repayment schedules; view loans, positions and"
            + " delinquency.",
    subcommands = {
      LendingScheduleCommand.class,
      LendingLoansCommand.class,
      LendingLoanCommand.class,
      LendingPositionsCommand.class,
      LendingDelinquencyCommand.class
    })
final class LendingCommand {}
